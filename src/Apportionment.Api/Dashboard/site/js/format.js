// Money and periods as a finance officer reads them. Money arrives as JSON numbers with two places; sums are done
// in whole pence so no floating-point error can show.

const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', notation: 'compact', maximumFractionDigits: 1 });
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });

export const money = (amount) => gbp.format(amount);
export const moneyShort = (amount) => compact.format(amount);
// The same places on every row, so a column of shares lines up and reads alike.
export const percent = (value, places = 2) => `${Number(value).toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places })}%`;

/** A balance as a finance officer says it: "Owes £120.00", "Is owed £80.00", or "Square". */
export const owes = (balance) => (balance > 0 ? `Owes ${money(balance)}` : balance < 0 ? `Is owed ${money(-balance)}` : 'Square');
export const pence = (amount) => Math.round(amount * 100);
export const fromPence = (p) => p / 100;
export const sumMoney = (values) => fromPence(values.reduce((total, v) => total + pence(v), 0));

const monthDate = (month) => new Date(`${month}-01T00:00:00Z`);
export const monthLong = (month) => monthName.format(monthDate(month));
export const monthAbbrev = (month) => monthShort.format(monthDate(month));

/** The financial year (April–March) holding a month, e.g. 2025-11 → 2025-26. */
export function financialYearOf(month) {
  const [y, m] = month.split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** The twelve months of a financial year, April first. */
export function monthsOf(financialYear) {
  const start = Number(financialYear.slice(0, 4));
  return Array.from({ length: 12 }, (_, i) => {
    const m = ((i + 3) % 12) + 1;
    return `${i < 9 ? start : start + 1}-${String(m).padStart(2, '0')}`;
  });
}

export const currentMonth = () => new Date().toISOString().slice(0, 7);

/** Financial years from the earliest month to the current one, newest first. */
export function financialYearsFrom(firstMonth) {
  const years = [];
  let year = Number(financialYearOf(firstMonth).slice(0, 4));
  const last = Number(financialYearOf(currentMonth()).slice(0, 4));
  for (; year <= last; year++) years.push(`${year}-${String((year + 1) % 100).padStart(2, '0')}`);
  return years.reverse();
}

/** The months of a financial year ("2025-26") or of one of its quarters ("2025-26-Q3"). */
export function monthsOfPeriod(period) {
  const months = monthsOf(period.slice(0, 7));
  const quarter = period.length > 7 ? Number(period.slice(-1)) : 0;
  return quarter ? months.slice((quarter - 1) * 3, quarter * 3) : months;
}

/** "2025-26" → "April 2025 to March 2026"; "2025-26-Q3" → "October to December 2025". */
export function describePeriod(period) {
  const span = monthsOfPeriod(period);
  return `${monthLong(span[0])} to ${monthLong(span[span.length - 1])}`;
}
