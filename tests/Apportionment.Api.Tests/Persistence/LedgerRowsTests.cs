using Npgsql;

namespace Apportionment.Api.Tests.Persistence;

/// <summary>
/// A ledger read is one call of the database's ledger_rows, read row by row in the order the function returns its
/// parts: members, services, totals, agreements (in id order, one row per share), activity, closes, invoices, versions. The
/// support closure it walks once must reach support services of support services and end at a support cycle.
/// </summary>
public sealed class LedgerRowsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string[] Parts =
        ["member", "service", "total", "agreement", "activity", "close", "invoice", "version"];

    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Rows_come_part_by_part_with_the_whole_support_closure_and_a_cycle_walked_once()
    {
        var (a, b, c) = (ApiSteps.UniqueCode("A"), ApiSteps.UniqueCode("B"), ApiSteps.UniqueCode("C"));
        await _admin.EnsureCouncilsAsync(c);
        var plan = await _admin.ServiceWithFixedSplitAsync("PLAN", "2024-04", (a, 60m), (b, 40m));
        var (it, hr) = (ApiSteps.UniqueCode("IT"), ApiSteps.UniqueCode("HR"));
        await _admin.CreateServiceAsync(it, a, [a, c]);
        await _admin.CreateServiceAsync(hr, a, [a, c]);
        // HR supports IT, IT supports planning and HR: B reaches HR only through IT, and IT and HR form a cycle.
        await _admin.AgreeAsync(hr, Supports((it, 100m)));
        await _admin.AgreeAsync(it, Supports((plan, 80m), (hr, 20m)));
        await _admin.PostCostAsync(plan, "2024-05", 1_000m, a);
        await _admin.PostCostAsync(it, "2024-05", 500m, a);
        await _admin.PostCostAsync(hr, "2024-05", 300m, a);
        await _admin.CloseThroughAsync(plan, "2024-05");

        var rows = await LedgerRowsAsync(b);

        var order = rows.Select(r => Array.IndexOf(Parts, r.Part)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Equal([plan], rows.Where(r => r.Part == "member").Select(r => r.Service));
        Assert.Equal(
            new[] { plan, it, hr }.Order(StringComparer.Ordinal),
            rows.Where(r => r.Part == "service").Select(r => r.Service!).Order(StringComparer.Ordinal));
        Assert.Equal(3, rows.Count(r => r.Part == "total"));
        var agreements = rows.Where(r => r.Part == "agreement").Select(r => r.Agreement!.Value).Distinct().ToList();
        Assert.Equal(3, agreements.Count);
        Assert.Equal(agreements.Order(), agreements);
        // Closed months are those of the council's own services, not of the support services feeding them.
        Assert.Equal([plan], rows.Where(r => r.Part == "close").Select(r => r.Service));
        // A kept statement is checked against the version of every service it read, support services included.
        Assert.Equal(
            new[] { plan, it, hr }.Order(StringComparer.Ordinal),
            rows.Where(r => r.Part == "version").Select(r => r.Service!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_council_that_does_not_exist_has_no_rows_and_one_in_no_service_has_one_member_row()
    {
        var lonely = ApiSteps.UniqueCode("L");
        await _admin.EnsureCouncilsAsync(lonely);

        Assert.Empty(await LedgerRowsAsync(ApiSteps.UniqueCode("NONE")));
        Assert.Equal([("member", (string?)null)], (await LedgerRowsAsync(lonely)).Select(r => (r.Part, r.Service)));
    }

    private static object Supports(params (string Service, decimal Percent)[] supported) => new
    {
        effectiveFrom = "2024-04",
        method = "fixed",
        shares = Array.Empty<object>(),
        supports = supported.Select(s => new { service = s.Service, percent = s.Percent }).ToArray(),
    };

    private async Task<List<(string Part, string? Service, Guid? Agreement)>> LedgerRowsAsync(string council)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select part, service, agreement_id from ledger_rows(null, $1, date '2024-05-01', date '2024-05-01', "
            + "null, true)",
            connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = council } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, Guid?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2)));
        }

        return rows;
    }
}
