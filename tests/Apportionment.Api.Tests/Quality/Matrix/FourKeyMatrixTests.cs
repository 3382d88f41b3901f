using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Tests.Security;
using static Apportionment.Api.Tests.Security.SecurityWorldFactory;

namespace Apportionment.Api.Tests.Quality.Matrix;

/// <summary>
/// Every v1 operation with four keys: the admin key, an in-scope key of a member council, a key of a council outside
/// the service (or a different council), and a member council's key without the scope the operation needs; then the
/// same four callers as bearer tokens of each council's own issuer (and the admin issuer), which must be answered
/// alike.
/// </summary>
public sealed class FourKeyMatrixTests(SecurityWorldFactory world) : IClassFixture<SecurityWorldFactory>
{
    /// <summary>Who is calling: the council of the key (null for admin).</summary>
    public sealed record Call(SecurityWorldFactory World, string? Council)
    {
        public string ActingCouncil => Council ?? Member;
    }

    /// <summary>
    /// One operation. Scope null means any valid key. InScope is what a member council's key holding every council
    /// scope gets (for admin-only operations that is 403 naming admin); Outsider is what OUTC's key with the same
    /// scopes gets.
    /// </summary>
    public sealed record Op(
        string Method,
        string Route,
        string? Scope,
        Func<Call, Task<(string Url, object? Body)>> Build,
        int Admin,
        int InScope,
        int Outsider,
        string MemberCouncil = Member)
    {
        public override string ToString() => $"{Method} {Route}";
    }

    private static Func<Call, Task<(string, object?)>> Get(string url)
        => _ => Task.FromResult<(string, object?)>((url, null));

    private static Func<Call, Task<(string, object?)>> With(string url, Func<Call, object?> body)
        => c => Task.FromResult<(string, object?)>((url, body(c)));

    public static readonly Op[] Operations =
    [
        new("GET", "/api/v1/version", null, Get("/api/v1/version"), 200, 200, 200),
        new("GET", "/api/v1/me", null, Get("/api/v1/me"), 200, 200, 200),

        new(
            "POST",
            "/api/v1/councils",
            Scopes.Admin,
            With("/api/v1/councils", c => new { code = $"N{c.World.Next()}", name = "New council" }),
            201,
            403,
            403),
        new("GET", "/api/v1/councils", Scopes.StatementsRead, Get("/api/v1/councils"), 200, 200, 200),
        new("GET", "/api/v1/councils/{code}", Scopes.StatementsRead, Get($"/api/v1/councils/{Host}"), 200, 200, 404),

        new("POST", "/api/v1/shared-services", Scopes.Admin, With("/api/v1/shared-services", c => new
        {
            code = $"S{c.World.Next()}", name = "Another service", hostCouncil = Host, members = new[] {
                Host,
                Member }, startMonth = "2025-04",
        }), 201, 403, 403),
        new("GET", "/api/v1/shared-services", Scopes.StatementsRead, Get("/api/v1/shared-services"), 200, 200, 200),
        new(
            "GET",
            "/api/v1/shared-services/{code}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}"),
            200,
            200,
            404),
        new(
            "PATCH",
            "/api/v1/shared-services/{code}",
            Scopes.Admin,
            With($"/api/v1/shared-services/{Service}", c => new { name = $"Shared legal {c.World.Next()}" }),
            200,
            403,
            403),

        new("POST", "/api/v1/shared-services/{code}/agreements", Scopes
            .AgreementsApprove, With($"/api/v1/shared-services/{Service}/agreements", _ => new
        {
            effectiveFrom = "2025-10", method = "equal", councils = new[] { Host, Member },
        }), 201, 201, 404),
        new("POST", "/api/v1/shared-services/{code}/agreements/{id:guid}/approvals", Scopes
            .AgreementsApprove, async c =>
        {
            var proposal = await c.World.ProposeAsync();
            return ($"/api/v1/shared-services/{Service}/agreements/{proposal.GetProperty("id").GetGuid()}/approvals",
                new { council = c.ActingCouncil });
        }, 200, 200, 404),
        new("DELETE", "/api/v1/shared-services/{code}/agreements/{id:guid}", Scopes.AgreementsApprove, async c =>
        {
            var proposal = await c.World.ProposeAsync();
            return ($"/api/v1/shared-services/{Service}/agreements/{proposal.GetProperty("id").GetGuid()}", null);
        }, 200, 200, 404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/agreements",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/agreements"),
            200,
            200,
            404),
        new("GET", "/api/v1/shared-services/{code}/agreements/{id:guid}", Scopes.StatementsRead,
            c => Task.FromResult<(string, object?)>(
                ($"/api/v1/shared-services/{Service}/agreements/{c.World.AgreementId}", null)), 200, 200, 404),
        new("GET", "/api/v1/shared-services/{code}/agreements/{id:guid}/impact/{period}", Scopes
            .StatementsRead, async c =>
        {
            var proposal = await c.World.ProposeAsync();
            var id = proposal.GetProperty("id").GetGuid();
            return ($"/api/v1/shared-services/{Service}/agreements/{id}/impact/2025-26", null);
        }, 200, 200, 404),

        // The admin key sends the whole return; a council key only its own council's figure.
        new("PUT", "/api/v1/shared-services/{code}/activity/{month}", Scopes
            .CostsWrite, With($"/api/v1/shared-services/{Service}/activity/2025-07", c => new
        {
            driver = "hours",
            quantities = c.Council is null
                ? new Dictionary<string, decimal> { [Host] = 10m, [Member] = 5.5m }
                : new Dictionary<string, decimal> { [c.Council] = 5.5m },
        }), 200, 200, 404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/activity/{month}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/activity/2025-07"),
            200,
            200,
            404),

        new("POST", "/api/v1/shared-services/{code}/costs", Scopes
            .CostsWrite, With($"/api/v1/shared-services/{Service}/costs", _ => new
        {
            month = "2025-06", amount = 12.34m, category = "Staff",
        }), 201, 201, 404),
        new("POST", "/api/v1/costs/{id:guid}/reversal", Scopes.CostsWrite, async c =>
        {
            var posting = await c.World.PostCostAsync(Member);
            return ($"/api/v1/costs/{posting.GetProperty("id").GetGuid()}/reversal", new { reason = "Posted twice" });
        }, 201, 201, 404),
        new("POST", "/api/v1/cost-batches", Scopes.CostsWrite, With("/api/v1/cost-batches", _ => new[]
        {
            new { service = Service, month = "2025-06", amount = 10.00m, category = "Staff" },
        }), 201, 201, 400),
        new(
            "GET",
            "/api/v1/shared-services/{code}/costs",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/costs"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/costs/{id:guid}",
            Scopes.StatementsRead,
            c => Task.FromResult<(string, object?)>(($"/api/v1/costs/{c.World.PostingId}", null)),
            200,
            200,
            404),

        new("POST", "/api/v1/shared-services/{code}/periods/{month}/close", Scopes.CostsWrite,
            async c =>
                ($"/api/v1/shared-services/{ClosingService}/periods/"
                    + $"{await c.World.EarliestOpenMonthAsync(ClosingService)}/close", null),
            200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/periods",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/periods?period=2025-26"),
            200,
            200,
            404),

        new(
            "GET",
            "/api/v1/shared-services/{code}/apportionments/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/apportionments/2025-26"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/councils/{code}/recharge-statements/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/recharge-statements/2025-26"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/shared-services/{code}/settlements/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/settlements/2025-26"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/overhead-flows/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/overhead-flows/2025-26"),
            200,
            200,
            404),
        new(
            "PUT",
            "/api/v1/shared-services/{code}/baselines/{council}",
            Scopes.Admin,
            With($"/api/v1/shared-services/{Service}/baselines/{Member}", _ => new { annualCost = 50000.00m }),
            200,
            403,
            403),
        new(
            "GET",
            "/api/v1/shared-services/{code}/savings/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/savings/2025-26"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/savings",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/savings?to=2025-26"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/councils/{code}/awaiting-approval",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/awaiting-approval"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/councils/{code}/savings/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/savings/2025-26"),
            200,
            200,
            403),

        new("PUT", "/api/v1/shared-services/{code}/budgets/{financialYear}", Scopes.BudgetsWrite,
            With(
                $"/api/v1/shared-services/{Service}/budgets/2025-26",
                c => new { budget = 12_000.00m + c.World.Next(), profile = "flat" }), 200, 200, 404,
                MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/budgets",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/budgets"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/budgets/{financialYear}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/budgets/2025-26"),
            200,
            200,
            404),
        new("PUT", "/api/v1/shared-services/{code}/reduction-target", Scopes.BudgetsWrite,
            With(
                $"/api/v1/shared-services/{Service}/reduction-target",
                _ => new { reductionPercent = 10m, baseYear = "2025-26" }), 200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/reduction-target",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/reduction-target"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/budget-monitoring/{financialYear}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/budget-monitoring/2025-26"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/councils/{code}/budget-monitoring/{financialYear}",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/budget-monitoring/2025-26"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/shared-services/{code}/unit-costs/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/unit-costs/2025-26"),
            200,
            200,
            404),

        new("PUT", "/api/v1/shared-services/{code}/indicators/{key}", Scopes
            .BudgetsWrite, With($"/api/v1/shared-services/{Service}/indicators/in-time", _ => new
        {
            name = "Decided in "
                + "time", unit = "%", polarity = "higher-is-better", frequency = "monthly",
                targets = new Dictionary<string, decimal> { ["2025-26"] = 90m },
        }), 200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/indicators/{key}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/indicators/in-time"),
            200,
            200,
            404),
        new("PUT", "/api/v1/shared-services/{code}/indicators/{key}/values/{period}", Scopes.CostsWrite,
            With(
                $"/api/v1/shared-services/{Service}/indicators/in-time/values/2025-05",
                c => new { council = c.ActingCouncil, value = 91.5m }), 200, 200, 404),
        new(
            "GET",
            "/api/v1/shared-services/{code}/indicators",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/indicators?period=2025-05"),
            200,
            200,
            404),
        new("PUT", "/api/v1/shared-services/{code}/governance", Scopes
            .BudgetsWrite, With($"/api/v1/shared-services/{Service}/governance", _ => new
        {
            legalBasis = "Joint committee", agreementStart = "2025-04-01", exitNoticeMonths = 12,
            nextReview = "2027-03-31",
        }), 200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/governance",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/governance"),
            200,
            200,
            404),
        new(
            "GET",
            "/api/v1/councils/{code}/partnerships",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/partnerships"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/shared-services/{code}/review/{financialYear}",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/review/2025-26"),
            200,
            200,
            404),
        new(
            "PUT",
            "/api/v1/councils/{code}/ledger-codes",
            Scopes.LedgerWrite,
            With($"/api/v1/councils/{Member}/ledger-codes", _ => MemberLedgerCodes),
            200,
            200,
            403),
        new("PUT", "/api/v1/shared-services/{code}/billing", Scopes
            .BillingWrite, With($"/api/v1/shared-services/{Service}/billing", _ => new
        {
            legalBasis = "s101-joint-committee", mode = "invoice", schedule = "quarterly", basis = "budget",
            paymentTermsDays = 30,
        }), 200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/billing",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/billing"),
            200,
            200,
            404),
        new("POST", "/api/v1/shared-services/{code}/invoices", Scopes.BillingWrite, async c =>
        {
            // Raised once first, so every key meets the same answer: the invoices already raised (200), or not found.
            var url = $"/api/v1/shared-services/{Service}/invoices";
            using var first = await c.World.Admin().PostAsJsonAsync(url, new { period = "2025-26-Q1" });
            return (url, new { period = "2025-26-Q1" });
        }, 200, 200, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/shared-services/{code}/invoices",
            Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/invoices"),
            200,
            200,
            404),
        new("GET", "/api/v1/shared-services/{code}/invoices/{number}", Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/invoices/NONE-2025-26-00001"), 404, 404, 404),
        new("POST", "/api/v1/shared-services/{code}/invoices/{number}/cancellation", Scopes.BillingWrite,
            With(
                $"/api/v1/shared-services/{Service}/invoices/NONE-2025-26-00001/cancellation",
                _ => new { }), 404, 404, 404, MemberCouncil: Host),
        new("POST", "/api/v1/shared-services/{code}/invoices/{number}/payments", Scopes.BillingWrite,
            With(
                $"/api/v1/shared-services/{Service}/invoices/NONE-2025-26-00001/payments",
                _ => new { amount = 1.00m, paidOn = "2025-10-24", reference = "R-1" }),
            404, 404, 404, MemberCouncil: Host),
        new("GET", "/api/v1/shared-services/{code}/year-end/{financialYear}", Scopes.StatementsRead,
            Get($"/api/v1/shared-services/{Service}/year-end/2025-26"), 200, 200, 404),
        new("POST", "/api/v1/shared-services/{code}/year-end/{financialYear}", Scopes.BillingWrite,
            With(
                $"/api/v1/shared-services/{Service}/year-end/2025-26",
                _ => new { }), 409, 409, 404, MemberCouncil: Host),
        new(
            "GET",
            "/api/v1/councils/{code}/invoices",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/invoices"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/councils/{code}/ledger-codes",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/ledger-codes"),
            200,
            200,
            403),
        new(
            "GET",
            "/api/v1/councils/{code}/journals/{period}",
            Scopes.StatementsRead,
            Get($"/api/v1/councils/{Member}/journals/2025-26?provisional=true"),
            200,
            200,
            403),
        new("POST", "/api/v1/councils/{code}/gl-extracts", Scopes.CostsWrite, _ => Task
            .FromResult<(string, object?)>(($"/api/v1/councils/{Member}/gl-extracts",
                new StringContent(
                "costCentre,account,month,amount,description,reference\r\n0441,0110,2025-06,10.00,Overtime,GL-1\r\n",
                System.Text.Encoding.UTF8,
                "text/csv"))),
            201, 201, 403),

        new("POST", "/api/v1/api-keys", Scopes.Admin, With(
            "/api/v1/api-keys",
            _ => new { name = "reader", council = Member, scopes = new[] { Scopes.StatementsRead } }), 201, 403, 403),
        new("GET", "/api/v1/api-keys", Scopes.Admin, Get("/api/v1/api-keys"), 200, 403, 403),
        new("DELETE", "/api/v1/api-keys/{id:guid}", Scopes.Admin, async c =>
        {
            var (id, _) = await Http.CreateKeyAsync(c.World, Member, [Scopes.StatementsRead]);
            return ($"/api/v1/api-keys/{id}", null);
        }, 200, 403, 403),
        new("GET", "/api/v1/audit", Scopes.Admin, Get("/api/v1/audit"), 200, 403, 403),

        new("POST", "/api/v1/webhooks", Scopes.WebhooksManage, With(
            "/api/v1/webhooks",
            _ => new { council = Member, url = ReceiverUrl, events = new[] { "period.closed" } }), 201, 201, 403),
        new("GET", "/api/v1/webhooks", Scopes.WebhooksManage, Get("/api/v1/webhooks"), 200, 200, 200),
        new(
            "GET",
            "/api/v1/webhooks/{id:guid}",
            Scopes.WebhooksManage,
            c => Task.FromResult<(string, object?)>(($"/api/v1/webhooks/{c.World.WebhookId}", null)),
            200,
            200,
            403),
        new("DELETE", "/api/v1/webhooks/{id:guid}", Scopes.WebhooksManage, async c =>
        {
            var created = await Http.Expect(c.World.Admin().PostAsJsonAsync(
                "/api/v1/webhooks",
                new { council = Member, url = ReceiverUrl, events = new[] { "period.closed" } }), 201);
            return ($"/api/v1/webhooks/{created.GetProperty("id").GetGuid()}", null);
        }, 200, 200, 403),
        new("POST", "/api/v1/webhooks/{id:guid}/secret-rotations", Scopes.WebhooksManage,
            c => Task.FromResult<(string, object?)>(
                ($"/api/v1/webhooks/{c.World.WebhookId}/secret-rotations", null)), 200, 200, 403),
        new("GET", "/api/v1/webhooks/{id:guid}/deliveries", Scopes.WebhooksManage,
            c => Task.FromResult<(string, object?)>(
                ($"/api/v1/webhooks/{c.World.WebhookId}/deliveries", null)), 200, 200, 403),
        new("POST", "/api/v1/webhooks/{id:guid}/deliveries/{deliveryId:guid}/redeliver", Scopes.WebhooksManage,
            async c =>
                ($"/api/v1/webhooks/{c.World.WebhookId}/deliveries/{await c.World.FailedDeliveryAsync()}/redeliver",
                    null),
            200, 200, 403),
    ];

    [Fact]
    public void The_table_covers_every_api_endpoint_with_its_policy()
    {
        var mapped = EndpointAuthorizationTests.AllRouteEndpoints(world)
            .Where(e => EndpointAuthorizationTests.Pattern(e).StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(e => EndpointAuthorizationTests.Methods(e)
                .Select(m => (Key: $"{m} {EndpointAuthorizationTests.Pattern(e)}", Endpoint: e)))
            .ToList();
        var table = Operations.ToDictionary(
            o => $"{o.Method} {EndpointAuthorizationTests.Normalise(o.Route)}",
            StringComparer.Ordinal);

        var missing = mapped.Select(m => m.Key).Where(k => !table.ContainsKey(k)).ToList();
        var stale = table.Keys.Where(k => mapped.All(m => m.Key != k)).ToList();
        Assert.True(missing.Count == 0, "Endpoints with no row in the four-key table:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows for endpoints that are not mapped:\n" + string.Join("\n", stale));

        var wrongPolicy = mapped
            .Select(m =>
                (m.Key,
                    Policies: m.Endpoint.Metadata
                        .GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
                        .Select(a => a.Policy)
                        .ToList(),
                    table[m.Key].Scope))
            .Where(x => x.Scope is null ? x.Policies.Any(p => p is not null) : !x.Policies.Contains(x.Scope))
            .Select(x => $"{x.Key}: policies [{string.Join(", ", x.Policies)}], table says {x.Scope ?? "any key"}")
            .ToList();
        Assert.True(
            wrongPolicy.Count == 0,
            "Endpoints whose policy differs from the table:\n" + string.Join("\n", wrongPolicy));
    }

    [Theory]
    [InlineData(Credential.ApiKey)]
    [InlineData(Credential.BearerToken)]
    public async Task Every_operation_answers_each_of_the_four_keys_as_the_rules_say(Credential credential)
    {
        await world.EnsureSeededAsync();
        var failures = new List<string>();
        foreach (var op in Operations)
        {
            var lacking = op.Scope is null or Scopes.Admin
                ? Http.CouncilScopes
                : Http.CouncilScopes.Where(s => s != op.Scope).ToArray();

            await Check(
                op,
                $"admin {credential}",
                await world.Caller(credential, null),
                null,
                op.Admin,
                null,
                failures);
            await Check(
                op,
                $"in-scope member {credential}",
                await world.Caller(credential, op.MemberCouncil, Http.CouncilScopes),
                op.MemberCouncil,
                op.InScope,
                op.Scope == Scopes.Admin ? Scopes.Admin : null,
                failures);
            await Check(
                op,
                $"out-of-council {credential}",
                await world.Caller(credential, Outsider, Http.CouncilScopes),
                Outsider,
                op.Outsider,
                op.Scope == Scopes.Admin ? Scopes.Admin : null,
                failures);
            await Check(
                op,
                $"member {credential} lacking the scope",
                await world.Caller(credential, op.MemberCouncil, lacking),
                op.MemberCouncil,
                op.Scope is null ? 200 : 403,
                op.Scope is null ? null : op.Scope,
                failures);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} unexpected answer(s):\n" + string.Join("\n", failures));
    }

    private async Task Check(
        Op op,
        string who,
        HttpClient client,
        string? council,
        int expected,
        string? missingScope,
        List<string> failures)
    {
        var (url, body) = await op.Build(new Call(world, council));
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
        if (body is not null)
        {
            request.Content = body as HttpContent ?? JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var where = $"{op} [{who}] {op.Method} {url}";
        if (status != expected)
        {
            failures.Add($"{where}: expected {expected}, got {status}: {text}");
            return;
        }

        if (status is 403 or 404)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{where}: {status} is not problem+json ({response.Content.Headers.ContentType})");
                return;
            }

            var problem = JsonDocument.Parse(text).RootElement;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
            if (missingScope is not null)
            {
                var named = problem.TryGetProperty("missingScope", out var m) ? m.GetString() : null;
                if (named != missingScope || !detail.Contains(missingScope, StringComparison.Ordinal))
                {
                    failures.Add($"{where}: 403 should name the missing scope '{missingScope}', got "
                        + $"missingScope={named}, detail={detail}");
                }
            }
            else if (status == 403 && (council is null || !detail.Contains(council, StringComparison.Ordinal)))
            {
                failures.Add($"{where}: 403 should name the council, got detail={detail}");
            }
            else if (status == 404 && (!detail.EndsWith("does not exist.", StringComparison.Ordinal)
                || detail.Contains(Outsider, StringComparison.Ordinal)))
            {
                failures.Add(
                    $"{where}: a 404 must read exactly as for something that does not exist, got detail={detail}");
            }
        }

        if (op is { Method: "GET", Route: "/api/v1/shared-services" } && status == 200 && council == Outsider)
        {
            var items = JsonDocument.Parse(text).RootElement.GetProperty("items");
            if (items.GetArrayLength() != 0)
            {
                failures.Add($"{where}: an outsider's list must be empty, got {items}");
            }
        }

        if (op is { Method: "GET", Route: "/api/v1/councils" } && status == 200 && council == Outsider)
        {
            var codes = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("code").GetString())
                .ToList();
            if (codes.Any(c => c != Outsider))
            {
                failures.Add($"{where}: an outsider sees only its own council (it shares no service), got "
                    + $"[{string.Join(", ", codes)}]");
            }
        }
    }

    [Fact]
    public async Task Council_rules_inside_a_service_hold()
    {
        await world.EnsureSeededAsync();
        var memberCosts = await world.KeyClient(Member, Scopes.CostsWrite);
        var memberApprove = await world.KeyClient(Member, Scopes.AgreementsApprove);
        var memberRead = await world.KeyClient(Member, Scopes.StatementsRead);

        // paidBy must be the key's own council.
        var paidByHost = await memberCosts.PostAsJsonAsync(
            $"/api/v1/shared-services/{Service}/costs",
            new { month = "2025-06", amount = 1.00m, category = "Staff", paidBy = Host });
        await AssertForbiddenNaming(paidByHost, Host);

        // Reversing HOST's posting is acting for HOST.
        var reversal = await memberCosts.PostAsJsonAsync(
            $"/api/v1/costs/{world.PostingId}/reversal",
            new { reason = "not ours" });
        await AssertForbiddenNaming(reversal, Host);

        // Only the host council closes months.
        await AssertForbiddenNaming(
            await memberCosts.PostAsync($"/api/v1/shared-services/{Service}/periods/2029-01/close", null),
            Host);

        // Approving on behalf of another council.
        var proposal = await world.ProposeAsync();
        var onBehalf = await memberApprove.PostAsJsonAsync(
            $"/api/v1/shared-services/{Service}/agreements/{proposal.GetProperty("id").GetGuid()}/approvals",
            new { council = Host });
        await AssertForbiddenNaming(onBehalf, Host);

        // Another council's statement and savings.
        await AssertForbiddenNaming(
            await memberRead.GetAsync($"/api/v1/councils/{Host}/recharge-statements/2025-26"),
            Host);
        await AssertForbiddenNaming(await memberRead.GetAsync($"/api/v1/councils/{Host}/savings/2025-26"), Host);

        // Nothing was written by any of the refused calls.
        var costs = await world.Admin()
            .GetFromJsonAsync<JsonElement>($"/api/v1/shared-services/{Service}/costs?period=2025-26&limit=500");
        Assert.DoesNotContain(costs.GetProperty("items").EnumerateArray(), p => p.GetProperty("paidBy")
            .GetString() == Host && p.GetProperty("amount").GetDecimal() is 1.00m or -1000.00m);
    }

    private static async Task AssertForbiddenNaming(HttpResponseMessage response, string council)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(
            response.StatusCode == System.Net.HttpStatusCode.Forbidden,
            $"{response.RequestMessage?.RequestUri}: expected 403, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(
            council,
            JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(),
            StringComparison.Ordinal);
    }
}
