# faultline in a container, for sharded explores on a cluster (deploy/k8s/explore-job.yaml).
# The image runs the CLI: `docker run IMAGE explore --seeds 1..100000 --shard 3/8 --json out/part-3.json`.
FROM node:20-bookworm-slim
WORKDIR /faultline
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY bench ./bench
COPY test ./test
COPY examples ./examples
COPY schemas ./schemas
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
ENTRYPOINT ["node", "/faultline/dist/src/cli/main.js"]
