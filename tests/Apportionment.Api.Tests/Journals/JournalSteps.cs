using System.Text;
using nietras.SeparatedValues;

namespace Apportionment.Api.Tests.Journals;

/// <summary>
/// A journal file as an ERP would receive it: the raw bytes, the header row and the data rows, read with Sep.
/// </summary>
public sealed record CsvJournal(byte[] Bytes, string[] Header, IReadOnlyList<Dictionary<string, string>> Rows);

public static class JournalSteps
{
    public static async Task<CsvJournal> CsvJournalAsync(
        this HttpClient client,
        string council,
        string period,
        string format,
        string query = "")
    {
        using var response = await client.SendAsync(
            ApiSteps.AcceptCsv($"/api/v1/councils/{council}/journals/{period}?format={format}{query}"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(
            response.StatusCode == HttpStatusCode.OK,
            $"{format} {council} {period}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true })
            .FromText(Encoding.UTF8.GetString(bytes));
        var header = reader.Header.ColNames.ToArray();
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                cells[header[i]] = row[i].ToString();
            }

            rows.Add(cells);
        }

        return new CsvJournal(bytes, header, rows);
    }

    public static async Task<JsonElement> JsonJournalAsync(
        this HttpClient client,
        string council,
        string period,
        bool provisional = false) =>
        await client.GetJsonAsync(
            $"/api/v1/councils/{council}/journals/{period}{(provisional ? "?provisional=true" : "")}");

    public static IEnumerable<JsonElement> Vouchers(this JsonElement journal)
        => journal.GetProperty("vouchers").EnumerateArray();

    public static IEnumerable<JsonElement> Lines(this JsonElement voucher)
        => voucher.GetProperty("lines").EnumerateArray();

    /// <summary>Debit minus credit of the service's own lines (line 1 of each voucher), service by service.</summary>
    public static Dictionary<string, decimal> ServiceNets(this JsonElement journal) =>
        journal.Vouchers().GroupBy(v => v.Text("service"))
            .ToDictionary(g => g.Key, g => g.Sum(v => v.Lines().Where(l => l.GetProperty("line").GetInt32() == 1)
                .Sum(l => l.Money("debit") - l.Money("credit"))));

    public static object Codes(string effectiveFrom, string control, params object[] services) =>
        new { effectiveFrom, controlAccount = new { account = control }, services };

    public static object Service(
        string service,
        string costCentre,
        string account,
        string? recoveryAccount = null,
        string? fund = "GF",
        object[]? costAccounts = null) =>
        new { service, costCentre, account, recoveryAccount, fund, costAccounts = costAccounts ?? [] };

    public static StringContent Extract(params string[] lines) =>
        new(
            "costCentre,account,month,amount,description,reference\r\n" + string.Join("\r\n", lines) + "\r\n",
            Encoding.UTF8,
            "text/csv");
}
