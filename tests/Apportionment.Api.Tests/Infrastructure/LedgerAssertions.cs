namespace Apportionment.Api.Tests.Infrastructure;

/// <summary>
/// The two invariants a finance officer checks first, for one service and period, read only through the API:
/// the councils' shares add up exactly to the service's net cost (for the period and each of its months), and
/// the balances on the councils' recharge statements for that service add up to zero, so the settlement
/// transfers leave every council square.
/// </summary>
public static class LedgerAssertions
{
    public static async Task AssertServiceBalancesAsync(this HttpClient admin, string service, string period)
    {
        var apportionment = await admin.ApportionmentAsync(service, period);
        var netCost = apportionment.Money("netCost");
        var allocations = apportionment.Allocations();
        Assert.Equal(netCost, allocations.Values.Sum());

        var months = apportionment.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(netCost, months.Sum(m => m.Money("netCost")));
        if (months.Count > 1)
        {
            // The period is the sum of its months, each split under its own agreement and adding up on its own.
            var byMonth = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var month in months)
            {
                var single = await admin.ApportionmentAsync(service, month.Text("month"));
                Assert.Equal(month.Money("netCost"), single.Money("netCost"));
                Assert.Equal(single.Money("netCost"), single.Allocations().Values.Sum());
                foreach (var (council, amount) in single.Allocations())
                {
                    byMonth[council] = byMonth.GetValueOrDefault(council) + amount;
                }
            }

            Assert.Equal(allocations.Where(a => a.Value != 0).OrderBy(a => a.Key, StringComparer.Ordinal),
                byMonth.Where(a => a.Value != 0).OrderBy(a => a.Key, StringComparer.Ordinal));
        }

        var members = (await admin.GetJsonAsync($"/api/v1/shared-services/{service}")).GetProperty("members")
            .EnumerateArray()
            .Select(m => m.GetString()!)
            .ToList();
        Assert.All(allocations.Keys, c => Assert.Contains(c, members));
        var balances = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var paid = 0m;
        foreach (var council in members)
        {
            var statement = await admin.StatementAsync(council, period);
            var lines = statement.GetProperty("lines").EnumerateArray().Where(l => l.Text("service") == service)
                .ToList();
            if (lines.Count == 0)
            {
                Assert.Equal(0m, allocations.GetValueOrDefault(council));
                continue;
            }

            var line = Assert.Single(lines);
            Assert.Equal(netCost, line.Money("netCost"));
            Assert.Equal(allocations.GetValueOrDefault(council), line.Money("share"));
            Assert.Equal(line.Money("share") - line.Money("paidDirectly"), line.Money("balance"));
            balances[council] = line.Money("balance");
            paid += line.Money("paidDirectly");
        }

        Assert.Equal(netCost, paid);
        Assert.Equal(0m, balances.Values.Sum());

        foreach (var model in new[] { "host", "netting" })
        {
            // A transfer from A to B settles part of A's debt (balance down) and of B's credit (balance up).
            var after = new Dictionary<string, decimal>(balances, StringComparer.Ordinal);
            foreach (var (from, to, amount) in (await admin.SettlementAsync(service, period, model)).Transfers())
            {
                Assert.True(amount > 0m, $"{model}: transfer {from}->{to} of {amount}");
                after[from] = after.GetValueOrDefault(from) - amount;
                after[to] = after.GetValueOrDefault(to) + amount;
            }

            Assert.All(
                after,
                b => Assert.True(b.Value == 0m, $"{model} settlement leaves {b.Key} with balance {b.Value}"));
        }
    }

    public static async Task AssertServiceBalancesAsync(this HttpClient admin, string service, params string[] periods)
    {
        foreach (var period in periods)
        {
            await admin.AssertServiceBalancesAsync(service, period);
        }
    }

    internal static JsonElement Single(this IEnumerable<JsonElement> items, string property, string value) =>
        Assert.Single(items, i => i.Text(property) == value);
}
