// jStat ships no types: the part of it the studies use.
declare module 'jstat' {
  const jStat: {
    /** two-sided (sides 2) p-value of a t statistic with n − 1 degrees of freedom */
    ttest(t: number, n: number, sides: 1 | 2): number;
  };
  export default jStat;
}
