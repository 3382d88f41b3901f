using Apportionment.Api.Features.Partnerships;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Partnerships;

public sealed class IndicatorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Status_follows_the_indicators_polarity_and_a_missing_value_has_none()
    {
        var (service, host, partner) = await ServiceAsync();
        await DefineAsync(service, "decided-in-time", IndicatorRules.HigherIsBetter, "monthly", 90m);
        await DefineAsync(service, "days-lost", IndicatorRules.LowerIsBetter, "monthly", 10m);
        await ValueAsync(_admin, service, "decided-in-time", "2025-05", null, 91m);
        await ValueAsync(_admin, service, "decided-in-time", "2025-05", host, 87m);   // 3 short of 90: within 5%, near
        await ValueAsync(_admin, service, "decided-in-time", "2025-05", partner, 80m); // missed
        await ValueAsync(_admin, service, "days-lost", "2025-05", null, 12m);         // 2 over a 10 target: missed
        await ValueAsync(_admin, service, "days-lost", "2025-05", host, 9m);          // under: met
        await ValueAsync(_admin, service, "days-lost", "2024-05", null, 14m);         // a year earlier, worse

        var report = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/indicators?period=2025-05");
        var inTime = Indicator(report, "decided-in-time");
        Assert.Equal(
            ("met", 91m),
            (inTime.GetProperty("service").Text("status"), inTime.GetProperty("service").Money("actual")));
        Assert.Equal("near", Council(inTime, host).Text("status"));
        Assert.Equal("missed", Council(inTime, partner).Text("status"));
        var lost = Indicator(report, "days-lost");
        Assert.Equal("missed", lost.GetProperty("service").Text("status"));
        Assert.Equal("better", lost.GetProperty("service").Text("trend"));
        Assert.Equal("met", Council(lost, host).Text("status"));

        // A month with no figure has no status rather than a guessed one.
        var june = Indicator(
            await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/indicators?period=2025-06"),
            "decided-in-time");
        Assert.Equal("no-value", june.GetProperty("service").Text("status"));
        Assert.Equal(JsonValueKind.Null, june.GetProperty("service").GetProperty("actual").ValueKind);
        Assert.Empty(june.GetProperty("councils").EnumerateArray());
    }

    [Fact]
    public async Task A_council_gives_only_its_own_figure_and_the_services_figure_is_the_hosts()
    {
        var (service, host, partner) = await ServiceAsync();
        await DefineAsync(service, "market-share", IndicatorRules.HigherIsBetter, "quarterly", 80m);
        var partnerKey = await factory.CouncilClient(partner, Scopes.CostsWrite, Scopes.StatementsRead);
        var hostKey = await factory.CouncilClient(host, Scopes.CostsWrite, Scopes.StatementsRead);

        await ValueAsync(partnerKey, service, "market-share", "2025-26-Q1", partner, 78m);
        var refused = await partnerKey.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/indicators/market-share/values/2025-26-Q1",
            new { council = host, value = 99m });
        await refused.ProblemAsync(HttpStatusCode.Forbidden);
        var serviceFigure = await partnerKey.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/indicators/market-share/values/2025-26-Q1",
            new { value = 99m });
        await serviceFigure.ProblemAsync(HttpStatusCode.Forbidden);
        await ValueAsync(hostKey, service, "market-share", "2025-26-Q1", null, 79m);

        var q1 = Indicator(
            await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/indicators?period=2025-26-Q1"),
            "market-share");
        Assert.Equal(79m, q1.GetProperty("service").Money("actual"));
        Assert.Equal([partner], q1.GetProperty("councils").EnumerateArray().Select(c => c.Text("council")));

        // A monthly period for a quarterly indicator names the field.
        await (await hostKey.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/indicators/market-share/values/2025-05",
            new { value = 1m }))
            .ProblemAsync(HttpStatusCode.BadRequest, "period");
    }

    [Fact]
    public async Task Bad_definitions_name_their_fields_and_change_nothing()
    {
        var (service, _, _) = await ServiceAsync();
        var response = await _admin.PutAsJsonAsync($"/api/v1/shared-services/{service}/indicators/x",
            new
            {
                name = "",
                unit = "%",
                polarity = "up",
                frequency = "weekly",
                targets = new Dictionary<string, decimal> { ["2025"] = 1m }
            });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "key", "name", "polarity", "frequency", "targets");
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/indicators/x")).ProblemAsync(
            HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_register_flags_reviews_and_ends_due_within_six_months_and_announces_a_review_once()
    {
        var (service, host, partner) = await ServiceAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var put = await _admin.PutAsJsonAsync($"/api/v1/shared-services/{service}/governance", new
        {
            legalBasis = "Joint committee",
            agreementStart = "2009-04-01",
            agreementEnd = today.AddMonths(5).ToString("yyyy-MM-dd"),
            exitNoticeMonths = 12,
            nextReview = today.AddMonths(2).ToString("yyyy-MM-dd"),
            savingsTarget = 800000.00m,
            baselineYear = "2008-09",
        });
        var governance = await put.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(host, governance.Text("hostCouncil"));
        Assert.Equal(today.AddMonths(5).AddMonths(-12).ToString("yyyy-MM-dd"), governance.Text("noticeBy"));

        var partnerKey = await factory.CouncilClient(partner, Scopes.StatementsRead);
        var register = await partnerKey.GetJsonAsync($"/api/v1/councils/{partner}/partnerships");
        var line = register.GetProperty("partnerships").EnumerateArray().Single(p => p.Text("service") == service);
        Assert.True(line.GetProperty("reviewDue").GetBoolean());
        Assert.True(line.GetProperty("agreementEnding").GetBoolean());
        Assert.False(line.GetProperty("isHost").GetBoolean());
        await (await partnerKey.GetAsync($"/api/v1/councils/{host}/partnerships")).ProblemAsync(
            HttpStatusCode.Forbidden);

        var check = factory.Services.GetRequiredService<ReviewDueCheck>();
        await check.RunOnceAsync(CancellationToken.None);
        await check.RunOnceAsync(CancellationToken.None);
        var events = await factory.WithDb(db => db.WebhookEvents
            .Where(e => e.ServiceCode == service && e.Type == "partnership.review-due")
            .ToListAsync());
        var sent = Assert.Single(events);
        Assert.Contains($"/api/v1/shared-services/{service}/review/", sent.Body, StringComparison.Ordinal);
    }

    private async Task<(string Service, string Host, string Partner)> ServiceAsync()
    {
        var codes = await _admin.NewCouncilsAsync("HO", "PA");
        var service = ApiSteps.UniqueCode("IND");
        await _admin.CreateServiceAsync(service, codes[0], codes);
        return (service, codes[0], codes[1]);
    }

    private async Task DefineAsync(string service, string key, string polarity, string frequency, decimal target) =>
        await (await _admin.PutAsJsonAsync($"/api/v1/shared-services/{service}/indicators/{key}", new
        {
            name = key,
            unit = "%",
            polarity,
            frequency,
            targets = new Dictionary<string, decimal> { ["2024-25"] = target, ["2025-26"] = target },
        })).JsonAsync(HttpStatusCode.OK);

    private static async Task ValueAsync(
        HttpClient client,
        string service,
        string key,
        string period,
        string? council,
        decimal value) =>
        await (await client.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/indicators/{key}/values/{period}",
            new { council, value }))
            .JsonAsync(HttpStatusCode.OK);

    private static JsonElement Indicator(JsonElement report, string key) =>
        report.GetProperty("indicators").EnumerateArray().Single(i => i.Text("key") == key);

    private static JsonElement Council(JsonElement indicator, string council) =>
        indicator.GetProperty("councils").EnumerateArray().Single(c => c.Text("council") == council)
            .GetProperty("result");
}
