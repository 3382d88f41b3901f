using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Webhooks;
using Apportionment.Api.Tests.Budgets;
using Apportionment.Api.Tests.Security;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Trust;

/// <summary>The smaller holes, each tried with the key that would use it.</summary>
public sealed class SmallHolesTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Theory]
    [InlineData("::127.0.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::c0a8:101")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe")]
    public async Task IPv6_forms_that_carry_an_internal_IPv4_address_are_refused_as_webhook_targets(string address)
    {
        var council = (await _admin.NewCouncilsAsync("HOOK"))[0];
        var key = await factory.CouncilClient(council, Scopes.WebhooksManage);

        var refused = await key.PostAsJsonAsync(
            "/api/v1/webhooks",
            new { url = $"https://[{address}]/hook", events = new[] { "period.closed" } });

        await refused.ProblemAsync(HttpStatusCode.BadRequest, "url");
    }

    [Fact]
    public void The_same_forms_carrying_a_public_IPv4_address_are_public()
    {
        Assert.False(EndpointSafety.IsInternal(IPAddress.Parse("64:ff9b::808:808")));
        Assert.False(EndpointSafety.IsInternal(IPAddress.Parse("2002:808:808::1")));
        // Teredo stores its client address inverted: 0x7f7f7f7f is 128.128.128.128.
        Assert.False(EndpointSafety.IsInternal(IPAddress.Parse("2001:0:4136:e378:8000:63bf:7f7f:7f7f")));
    }

    [Fact]
    public async Task Budgets_below_zero_or_more_than_five_years_ahead_are_refused_naming_the_field()
    {
        var councils = await _admin.NewCouncilsAsync("HOST", "PART");
        var service = UniqueCode("BUD");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        var host = await factory.CouncilClient(councils[0], Scopes.BudgetsWrite, Scopes.StatementsRead);
        var months = Enumerable.Repeat(100m, 12).ToArray();
        months[0] = -100m;
        months[1] = 300m;
        var nextYear = DateTime.UtcNow.Month >= 4 ? DateTime.UtcNow.Year : DateTime.UtcNow.Year - 1;
        var tooFar = $"{nextYear + 6}-{(nextYear + 7) % 100:D2}";

        await (await host.PutBudgetRawAsync(service, "2025-26", -1m, "flat")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "budget");
        await (await host.PutBudgetRawAsync(service, "2025-26", 1_200m, months)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "profile");
        await (await host.PutBudgetRawAsync(service, tooFar, 1_200m, "flat")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "financialYear");
        await host.PutBudgetAsync(service, $"{nextYear + 5}-{(nextYear + 6) % 100:D2}", 1_200m, "flat");
    }

    [Fact]
    public async Task Unit_costs_for_a_driver_the_service_never_had_or_an_empty_or_repeated_one_are_refused()
    {
        var councils = await _admin.NewCouncilsAsync("HOST", "PART");
        var service = UniqueCode("UC");
        await _admin.CreateServiceAsync(service, councils[0], councils);
        await _admin.AgreeAsync(service, DriverSplit("2024-04", "hours", councils));
        var reader = await factory.CouncilClient(councils[1], Scopes.StatementsRead);
        var url = $"/api/v1/shared-services/{service}/unit-costs/2024-25";

        await (await reader.GetAsync($"{url}?driver=tonnes")).ProblemAsync(HttpStatusCode.NotFound);
        await (await reader.GetAsync($"{url}?driver=")).ProblemAsync(HttpStatusCode.BadRequest, "driver");
        await (await reader.GetAsync($"{url}?driver=hours&driver=tonnes")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "driver");
        await reader.GetJsonAsync($"{url}?driver=hours");
    }

    [Fact]
    public async Task Authenticated_answers_are_private_and_revalidated_and_vary_by_credential()
    {
        var councils = await _admin.NewCouncilsAsync("HOST", "PART");
        var service = await _admin.ServiceWithFixedSplitAsync("CC", "2024-04", (councils[0], 50m), (councils[1], 50m));
        var reader = await factory.CouncilClient(councils[1], Scopes.StatementsRead);

        var answer = await reader.GetAsync($"/api/v1/shared-services/{service}/agreements?limit=1");
        Assert.True(
            answer.Headers.CacheControl is { Private: true, NoCache: true },
            $"Cache-Control: {answer.Headers.CacheControl}");
        Assert.Contains("X-Api-Key", answer.Headers.Vary);
        Assert.Contains("Authorization", answer.Headers.Vary);

        var agreement = (await answer.JsonAsync(HttpStatusCode.OK)).Items()[0];
        var one = await reader.GetAsync($"/api/v1/shared-services/{service}/agreements/{agreement.Text("id")}");
        Assert.NotNull(one.Headers.ETag);
        using var again = new HttpRequestMessage(
            HttpMethod.Get,
            $"/api/v1/shared-services/{service}/agreements/{agreement.Text("id")}");
        again.Headers.IfNoneMatch.Add(one.Headers.ETag!);
        var revalidated = await reader.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.True(
            revalidated.Headers.CacheControl is { Private: true, NoCache: true },
            $"Cache-Control: {revalidated.Headers.CacheControl}");
    }

    [Fact]
    public async Task An_api_key_that_would_expire_in_the_past_is_refused_naming_expiresOn()
    {
        var council = (await _admin.NewCouncilsAsync("KEY"))[0];
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var refused = await _admin.PostAsJsonAsync(
            "/api/v1/api-keys",
            new { name = "stale", council, scopes = new[] { Scopes.StatementsRead }, expiresOn = yesterday });

        await refused.ProblemAsync(HttpStatusCode.BadRequest, "expiresOn");
    }
}

/// <summary>A 409 for a closed month is an ordinary answer, not an error: nothing at Error level in the log.</summary>
public sealed class ClosedMonthLogTests(CapturingApiFactory factory) : IClassFixture<CapturingApiFactory>
{
    [Fact]
    public async Task Activity_for_a_closed_month_is_409_and_logs_no_error()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("HOST", "PART");
        var service = UniqueCode("ACT");
        await admin.CreateServiceAsync(service, councils[0], councils);
        await admin.AgreeAsync(service, DriverSplit("2024-04", "hours", councils));
        var host = await factory.CouncilClient(councils[0], Scopes.CostsWrite, Scopes.StatementsRead);
        await host.CloseThroughAsync(service, "2024-04");
        factory.Logs.Lines.Clear();

        var refused = await host.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/2024-04",
            new { driver = "hours", quantities = new Dictionary<string, decimal> { [councils[0]] = 3m } });

        await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain(
            factory.Logs.Lines,
            l => l.Contains("[Error]", StringComparison.Ordinal) || l.Contains("[Critical]", StringComparison.Ordinal));
    }
}
