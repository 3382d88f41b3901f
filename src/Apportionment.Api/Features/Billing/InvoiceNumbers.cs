using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Billing;

/// <summary>
/// Invoice numbers run per host council and financial year (of the issue date): DCC-2025-26-00001, 00002, … The host's
/// counter row for the year is incremented in the issuing transaction, so it stays locked until that commits: a
/// concurrent issue waits, and a rolled-back issue gives its numbers back. No number is skipped or used twice.
/// </summary>
public static class InvoiceNumbers
{
    public static async Task<IReadOnlyList<(string Number, int Year, int Sequence)>> TakeAsync(
        ApportionmentDb db,
        string host,
        DateOnly issuedOn,
        int count,
        CancellationToken ct)
    {
        if (count == 0)
        {
            return [];
        }

        var year = Month.FromDate(issuedOn).FinancialYearStart;
        var last = (await db.Database.SqlQuery<int>(
            $"""
            insert into invoice_counter (host_council, financial_year, last_number) values ({host}, {year}, {count})
            on conflict (host_council, financial_year) do update set last_number = invoice_counter.last_number + {count}
            returning last_number as "Value"
            """).ToListAsync(ct)).Single();
        var yearText = Period.FinancialYear(year).ToString();
        return Enumerable.Range(last - count + 1, count).Select(n => ($"{host}-{yearText}-{n:D5}", year, n)).ToList();
    }
}
