using Apportionment.Api.Features.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Reports;

/// <summary>
/// A replica answers a statement it has computed again while the ledger stamp it was read at is current, and never
/// once the figures behind it moved: changes made straight in the database, past every API replica, show at once.
/// </summary>
public sealed class StatementCacheTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    private StatementCache Kept => factory.Services.GetRequiredService<StatementCache>();

    private async Task<(string[] Councils, string Service)> ItSharedHalfAndHalfAsync()
    {
        var councils = await _admin.NewCouncilsAsync("SH", "WD");
        var service = await _admin.ServiceWithFixedSplitAsync("IT", "2024-04", (councils[0], 50m), (councils[1], 50m));
        await _admin.PostCostAsync(service, "2024-05", 1_000.00m);
        return (councils, service);
    }

    /// <summary>The statement's share for the service, and whether memory answered it.</summary>
    private async Task<(decimal Share, bool FromMemory)> ShareAsync(string council, string service)
    {
        var hits = Kept.Hits;
        var statement = await _admin.StatementAsync(council, "2024-25");
        return (statement.LineFor(service).Money("share"), Kept.Hits > hits);
    }

    private Task<int> ChangeInDatabaseAsync(FormattableString sql) =>
        factory.WithDb(db => db.Database.ExecuteSqlAsync(sql));

    [Fact]
    public async Task A_statement_read_again_comes_from_memory_until_a_posting_made_past_the_api_moves_it()
    {
        var (councils, service) = await ItSharedHalfAndHalfAsync();

        Assert.Equal((500.00m, false), await ShareAsync(councils[1], service));
        Assert.Equal((500.00m, true), await ShareAsync(councils[1], service));

        await ChangeInDatabaseAsync($"""
            insert into cost_postings (id, service_code, month, amount, category, paid_by, posted_at)
            values (gen_random_uuid(), {service}, date '2024-06-01', 10.00, 'staff', {councils[0]}, now())
            """);

        Assert.Equal((505.00m, false), await ShareAsync(councils[1], service));
        Assert.Equal((505.00m, true), await ShareAsync(councils[1], service));
    }

    [Fact]
    public async Task A_share_changed_in_the_database_shows_on_the_next_read()
    {
        var (councils, service) = await ItSharedHalfAndHalfAsync();
        Assert.Equal(500.00m, (await ShareAsync(councils[1], service)).Share);

        await ChangeInDatabaseAsync($"""
            update agreement_share s set percent = case when s.council = {councils[1]} then 70 else 30 end
            from split_agreements a where a.id = s.agreement_id and a.service_code = {service}
            """);

        Assert.Equal((700.00m, false), await ShareAsync(councils[1], service));
    }

    [Fact]
    public async Task A_posting_to_a_support_service_feeding_the_councils_service_shows_on_the_next_read()
    {
        var (councils, service) = await ItSharedHalfAndHalfAsync();
        var support = ApiSteps.UniqueCode("HR");
        await _admin.CreateServiceAsync(support, councils[0], councils);
        await _admin.AgreeAsync(support, new
        {
            effectiveFrom = "2024-04",
            method = "fixed",
            shares = Array.Empty<object>(),
            supports = new[] { new { service, percent = 100m } },
        });
        Assert.Equal((500.00m, false), await ShareAsync(councils[1], service));
        Assert.Equal((500.00m, true), await ShareAsync(councils[1], service));

        // The support service is not one of the council's own: only its version says the statement moved.
        await _admin.PostCostAsync(support, "2024-07", 200.00m, councils[0]);

        Assert.Equal((600.00m, false), await ShareAsync(councils[1], service));
    }

    [Fact]
    public async Task A_council_that_joins_a_service_sees_it_on_its_next_statement()
    {
        var (councils, service) = await ItSharedHalfAndHalfAsync();
        var third = (await _admin.NewCouncilsAsync("TD"))[0];
        var other = await _admin.ServiceWithFixedSplitAsync("LEGAL", "2024-04", (councils[0], 50m), (third, 50m));
        await _admin.PostCostAsync(other, "2024-05", 300.00m);
        Assert.Equal((500.00m, false), await ShareAsync(councils[1], service));

        // Joined as the partnership would record it: a member, with a share of the agreement in force.
        await ChangeInDatabaseAsync(
            $"insert into service_members (service_code, council, joined_at) values ({other}, {councils[1]}, now())");
        await ChangeInDatabaseAsync($"""
            update split_agreements set councils = councils || {councils[1]}::text where service_code = {other}
            """);
        await ChangeInDatabaseAsync($"""
            update agreement_share s set percent = case when s.council = {councils[0]} then 40 else 30 end
            from split_agreements a where a.id = s.agreement_id and a.service_code = {other}
            """);
        await ChangeInDatabaseAsync($"""
            insert into agreement_share (agreement_id, council, percent)
            select id, {councils[1]}, 30 from split_agreements where service_code = {other}
            """);

        Assert.Equal((90.00m, false), await ShareAsync(councils[1], other));
    }

    [Fact]
    public async Task Closing_the_months_dates_the_statement_by_the_close()
    {
        var (councils, service) = await ItSharedHalfAndHalfAsync();
        var open = await _admin.StatementAsync(councils[1], "2024-25");
        await _admin.CloseThroughAsync(service, "2025-03");

        var closed = await _admin.StatementAsync(councils[1], "2024-25");

        Assert.NotEqual(open.Text("generatedAt"), closed.Text("generatedAt"));
        var again = await _admin.StatementAsync(councils[1], "2024-25");
        Assert.Equal(closed.Text("generatedAt"), again.Text("generatedAt"));
    }
}
