using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Apportionment.Domain.Journals;

/// <summary>
/// Turns a council's statement balances into balanced journals. Each service's month is one voucher of two lines: the
/// balance on the service's account and its opposite on the control account. A balance above zero (the council owes
/// the host) debits the service account and credits the control account; below zero (the council is owed, as a host
/// usually is) credits the service account and debits the control account. So the service lines of a service net to its
/// balance and every voucher nets to zero. A month whose balance is zero writes no voucher: imports refuse zero lines.
/// </summary>
public static class JournalBuilder
{
    /// <summary>The mark a provisional journal's every line description begins with.</summary>
    public const string ProvisionalMark = "PROVISIONAL";

    public static Journal Build(string council, Period period, IEnumerable<JournalEntry> entries, bool provisional)
    {
        ArgumentNullException.ThrowIfNull(period);
        var vouchers = new List<JournalVoucher>();
        foreach (var e in entries.Where(e => e.Balance != 0m).OrderBy(e => e.Month)
            .ThenBy(e => e.Service, StringComparer.Ordinal))
        {
            if (!period.Contains(e.Month))
            {
                throw new ArgumentException($"{e.Service} {e.Month} is outside {period}.", nameof(entries));
            }

            var amount = Money.Normalise(Math.Abs(e.Balance));
            var owes = e.Balance > 0m;
            var description = Describe(e, provisional);
            JournalLine[] lines =
            [
                new(
                    1,
                    JournalLineKind.Service,
                    e.ServiceAccount,
                    owes ? amount : 0.00m,
                    owes ? 0.00m : amount,
                    description),
                new(
                    2,
                    JournalLineKind.Control,
                    e.ControlAccount,
                    owes ? 0.00m : amount,
                    owes ? amount : 0.00m,
                    description),
            ];
            vouchers.Add(new JournalVoucher(
                vouchers.Count + 1,
                Reference(VoucherContent(council, e, amount, provisional)),
                e.Service,
                e.ServiceName,
                e.Month,
                lines));
        }

        var batch = new StringBuilder().AppendJoin('\u001f', council, period.ToString(), provisional ? "P" : "F");
        foreach (var v in vouchers)
        {
            batch.Append('\u001f').Append(v.Reference);
        }

        return new Journal(council, period, provisional, Reference(batch.ToString()), vouchers);
    }

    /// <summary>Names the service and the month, e.g. "DAP Devon Audit Partnership recharge Apr 2025".</summary>
    public static string Describe(JournalEntry e, bool provisional) =>
        (provisional ? ProvisionalMark + " " : "")
        + string.Create(
            CultureInfo.InvariantCulture,
            $"{e.Service} {e.ServiceName} recharge {e.Month.FirstDay:MMM yyyy}");

    /// <summary>
    /// Everything the voucher says, so the same figures and codes give the same reference and a change a new one.
    /// </summary>
    private static string VoucherContent(string council, JournalEntry e, decimal amount, bool provisional) =>
        string.Join('\u001f', council, e.Service, e.ServiceName, e.Month.ToString(), e.Balance > 0m ? "D" : "C",
            amount.ToString("0.00", CultureInfo.InvariantCulture), provisional
                ? "P"
                : "F", Codes(e.ServiceAccount), Codes(e.ControlAccount));

    private static string Codes(LedgerAccount a)
        => string.Join('\u001e', a.CostCentre, a.Account, a.Fund ?? "", a.Project ?? "", a.Subjective ?? "");

    /// <summary>The first 40 bits of the SHA-256 of the content, as ten upper-case hex digits.</summary>
    private static string Reference(string content) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 5));
}
