/** Dollars as the app writes them: "$1,234,567"; large sums shortened only in charts. */
const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});

export const formatDollars = (amount: number | null | undefined): string =>
  amount === null || amount === undefined ? "—" : dollars.format(amount);

/** An axis tick: "$2.5M", "$300K". */
export function shortDollars(amount: number): string {
  if (Math.abs(amount) >= 1e9) return `$${(amount / 1e9).toFixed(1).replace(/\.0$/, "")}B`;
  if (Math.abs(amount) >= 1e6) return `$${(amount / 1e6).toFixed(1).replace(/\.0$/, "")}M`;
  if (Math.abs(amount) >= 1e3) return `$${Math.round(amount / 1e3)}K`;
  return `$${amount}`;
}
