using Apportionment.Api.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Webhooks;

public sealed class WebhookDeliveryTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<(string Host, string Partner, string Service)> PartnershipAsync()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("WHH", "WHP");
        var service = UniqueCode("WHS");
        await admin.CreateServiceAsync(service, councils[0], councils);
        return (councils[0], councils[1], service);
    }

    [Fact]
    public async Task Every_event_type_arrives_signed_so_the_standard_webhooks_verifier_accepts_it()
    {
        var admin = factory.Admin();
        var (host, partner, service) = await PartnershipAsync();
        var partnerKey = await factory.CouncilClient(partner, Scopes.WebhooksManage);
        var path = $"ok/{partner}";
        var (subscription, secret) = await partnerKey.SubscribeAsync(null, _receiver.Url(path));

        var agreement = await admin.ProposeAsync(service, FixedSplit("2024-04", (host, 60m), (partner, 40m)));
        await (await admin.ApproveAsync(service, agreement, host)).JsonAsync(HttpStatusCode.OK);
        await (await admin.ApproveAsync(service, agreement, partner)).JsonAsync(HttpStatusCode.OK);
        var proposal = await admin.ProposeAsync(service, EqualSplit("2025-04", host, partner));
        await (await admin.DeleteAsync($"/api/v1/shared-services/{service}/agreements/{proposal.Text("id")}"))
            .JsonAsync(HttpStatusCode.OK);
        var batch = await admin.PostBatchAsync((service, "2024-04", 1200.00m));
        await admin.CloseMonthAsync(service, "2024-04");

        await WebhookSteps.EventuallyAsync(
            () => _receiver.At(path).Count >= 9,
            "nine events at the partner's endpoint");
        var received = _receiver.At(path);
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret), $"signature of {r.Body} did not verify"));
        Assert.All(received, r => Assert.Equal(r.Json.GetProperty("id").GetString(), r.Id));
        Assert.Equal(WebhookSteps.AllEvents.Order(), received.Select(r => r.Type).Distinct().Order());
        Assert.Equal(9, received.Select(r => r.Id).Distinct().Count());

        var approvals = received.Where(r => r.Type == "agreement.approved")
            .Select(r => r.Json.GetProperty("data").Text("approvedBy"))
            .Order()
            .ToList();
        Assert.Equal(new[] { host, partner }.Order(), approvals);
        var accepted = Assert.Single(received, r => r.Type == "cost-batch.accepted").Json.GetProperty("data");
        Assert.Equal(batch.Text("batchId"), accepted.Text("batchId"));
        Assert.Equal(1200.00m, accepted.Money("amount"));

        // period.closed links to the statements that are now final; the partner's own link works with its key.
        var closed = Assert.Single(received, r => r.Type == "period.closed").Json.GetProperty("data");
        Assert.Equal("2024-04", closed.Text("month"));
        var link = Assert.Single(closed.GetProperty("statements").EnumerateArray(), s => s.Text("council") == partner)
            .Text("href");
        var reader = await factory.CouncilClient(partner, Scopes.StatementsRead);
        var statement = await reader.GetJsonAsync(link);
        Assert.Equal(480.00m, statement.LineFor(service).Money("share"));

        // journal.ready goes to each member alone, linking its own journal of the month.
        var ready = Assert.Single(received, r => r.Type == "journal.ready").Json.GetProperty("data");
        Assert.Equal(
            (partner, $"/api/v1/councils/{partner}/journals/2024-04"),
            (ready.Text("council"), ready.Text("journal")));

        var log = await partnerKey.SettledDeliveriesAsync(subscription, 9);
        Assert.All(log, d => Assert.Equal(
            ("succeeded", 1, 204),
            (d.Text("status"), d.GetProperty("attempts").GetInt32(), d.GetProperty("lastStatusCode").GetInt32())));
    }

    [Fact]
    public async Task A_receiver_failing_three_times_then_succeeding_gets_one_success_after_four_logged_attempts()
    {
        var admin = factory.Admin();
        var (_, partner, service) = await PartnershipAsync();
        var path = $"flaky/3/{partner}";
        var (subscription, secret) = await admin.SubscribeAsync(partner, _receiver.Url(path), "cost-batch.accepted");

        await admin.PostBatchAsync((service, "2024-06", 10.00m));

        var delivery = Assert.Single(await admin.SettledDeliveriesAsync(subscription, 1));
        Assert.Equal("succeeded", delivery.Text("status"));
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(
            [500, 500, 500, 204],
            delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        var received = _receiver.At(path);
        Assert.Equal(4, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret)));
        Assert.Equal(4, await factory.WithDb(
            db => db.WebhookAttempts.CountAsync(a => a.DeliveryId == delivery.GetProperty("id").GetGuid())));
    }

    [Fact]
    public async Task A_receiver_down_throughout_ends_in_a_failed_delivery_that_redelivery_sends_once_it_is_back()
    {
        var admin = factory.Admin();
        var (_, partner, service) = await PartnershipAsync();
        await using var down = WebhookReceiver.Down();
        var (subscription, secret) = await admin.SubscribeAsync(partner, down.Url("ok/back"), "cost-batch.accepted");

        await admin.PostBatchAsync((service, "2024-07", 10.00m));

        var failed = Assert.Single(await admin.SettledDeliveriesAsync(subscription, 1));
        Assert.Equal("failed", failed.Text("status"));
        Assert.Equal(WebhookApiFactory.MaxAttempts, failed.GetProperty("attempts").GetInt32());
        Assert.False(failed.TryGetProperty("nextAttemptAt", out _));
        Assert.All(
            failed.GetProperty("attemptLog").EnumerateArray(),
            a => Assert.False(string.IsNullOrEmpty(a.Text("error"))));

        await down.ComeUpAsync();
        var redelivery = await admin.PostJsonAsync(
            $"/api/v1/webhooks/{subscription}/deliveries/{failed.Text("id")}/redeliver",
            new { },
            HttpStatusCode.OK);
        Assert.Equal("pending", redelivery.Text("status"));

        await WebhookSteps.EventuallyAsync(
            async () => (await admin.DeliveriesAsync(subscription))[0].Text("status") == "succeeded",
            "the redelivery to succeed");
        var received = Assert.Single(down.Received);
        Assert.True(received.VerifiesWith(secret));
        Assert.Equal(failed.Text("eventId"), received.Id);
        Assert.Equal(
            WebhookApiFactory.MaxAttempts + 1,
            (await admin.DeliveriesAsync(subscription))[0].GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task An_approval_that_rolls_back_emits_nothing()
    {
        var admin = factory.Admin();
        var (host, partner, service) = await PartnershipAsync();
        var path = $"ok/rollback-{partner}";
        var (subscription, _) = await admin.SubscribeAsync(
            partner,
            _receiver.Url(path),
            "agreement.proposed",
            "agreement.approved",
            "agreement.agreed",
            "agreement.withdrawn");

        var agreement = await admin.ProposeAsync(service, FixedSplit("2024-04", (host, 50m), (partner, 50m)));
        await (await admin.ApproveAsync(service, agreement, host)).JsonAsync(HttpStatusCode.OK);
        await admin.CloseMonthAsync(service, "2024-04");
        // The last approval would put the split in force over a closed month: the approval, written with its event
        // before the check failed, is rolled back whole.
        await (await admin.ApproveAsync(service, agreement, partner)).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.DeleteAsync($"/api/v1/shared-services/{service}/agreements/{agreement.Text("id")}"))
            .JsonAsync(HttpStatusCode.OK);

        await admin.SettledDeliveriesAsync(subscription, 3);
        await WebhookSteps.EventuallyAsync(() => _receiver.At(path).Count >= 3, "three events");
        var received = _receiver.At(path);
        Assert.Equal(
            ["agreement.approved", "agreement.proposed", "agreement.withdrawn"],
            received.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.Equal(
            host,
            Assert.Single(received, r => r.Type == "agreement.approved").Json.GetProperty("data").Text("approvedBy"));
        var events = await factory.WithDb(
            db => db.WebhookEvents.Where(e => e.ServiceCode == service).Select(e => e.Type).ToListAsync());
        Assert.DoesNotContain("agreement.agreed", events);
        Assert.Single(events, t => t == "agreement.approved");
    }

    [Fact]
    public async Task A_councils_endpoint_never_receives_another_councils_events()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("WIA", "WIB", "WIC");
        var (a, b, c) = (councils[0], councils[1], councils[2]);
        var (s1, s2) = (UniqueCode("WI1"), UniqueCode("WI2"));
        await admin.CreateServiceAsync(s1, c, [c, a]);
        await admin.CreateServiceAsync(s2, c, [c, b]);
        await admin.SubscribeAsync(a, _receiver.Url($"ok/{a}"));
        await admin.SubscribeAsync(b, _receiver.Url($"ok/{b}"));

        await admin.AgreeAsync(s1, EqualSplit("2024-04", a, c));
        await admin.AgreeAsync(s2, EqualSplit("2024-04", b, c));
        await admin.PostBatchAsync((s1, "2024-04", 100.00m), (s2, "2024-04", 250.00m));
        await admin.CloseMonthAsync(s1, "2024-04");
        await admin.CloseMonthAsync(s2, "2024-04");

        // Each sees its own service's proposal, two approvals, agreement, batch and closed month.
        await WebhookSteps.EventuallyAsync(
            () => _receiver.At($"ok/{a}").Count >= 6 && _receiver.At($"ok/{b}").Count >= 6,
            "six events each");
        var toA = _receiver.At($"ok/{a}");
        var toB = _receiver.At($"ok/{b}");
        Assert.All(toA, r => Assert.Equal(s1, r.Json.GetProperty("data").Text("service")));
        Assert.All(toB, r => Assert.Equal(s2, r.Json.GetProperty("data").Text("service")));
        Assert.Equal(
            250.00m,
            Assert.Single(toB, r => r.Type == "cost-batch.accepted").Json.GetProperty("data").Money("amount"));
        Assert.DoesNotContain(toA, r => r.Body.Contains(b, StringComparison.Ordinal));
        Assert.DoesNotContain(toB, r => r.Body.Contains(a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_support_agreement_reaches_every_member_that_must_approve_it_even_one_it_does_not_name()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("WSH", "WSN", "WSU", "WSX", "WSZ");
        var (host, named, unnamed, planOnly, stranger) = (councils[0], councils[1], councils[2], councils[3], councils[
            4]);
        var (plan, support) = (UniqueCode("WSP"), UniqueCode("WSA"));
        await admin.CreateServiceAsync(plan, host, [host, named, unnamed, planOnly]);
        await admin.CreateServiceAsync(support, host, [host, named, unnamed]);
        var path = $"ok/{unnamed}";
        var (toUnnamed, _) = await admin.SubscribeAsync(unnamed, _receiver.Url(path));
        var (toPlanOnly, _) = await admin.SubscribeAsync(planOnly, _receiver.Url($"ok/{planOnly}"));
        var (toStranger, _) = await admin.SubscribeAsync(stranger, _receiver.Url($"ok/{stranger}"));

        // The admin team charges 10% to one council directly and 90% to planning: its three members and planning's
        // member outside it all bear the cost, so all four approve.
        var agreement = await admin.ProposeAsync(support, new
        {
            effectiveFrom = "2024-04",
            method = "fixed",
            shares = new[] { new { council = named, percent = 10m } },
            supports = new[] { new { service = plan, percent = 90m } },
        });
        foreach (var council in new[] { host, named, unnamed, planOnly })
        {
            await (await admin.ApproveAsync(support, agreement, council)).JsonAsync(HttpStatusCode.OK);
        }

        await admin.SettledDeliveriesAsync(toUnnamed, 6);
        await WebhookSteps.EventuallyAsync(
            () => _receiver.At(path).Count >= 6,
            "six agreement events at the unnamed member");
        var received = _receiver.At(path);
        Assert.Equal(
            ["agreement.agreed", "agreement.approved", "agreement.approved", "agreement.approved", "agreement.approved",
                "agreement.proposed"],
            received.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(support, r.Json.GetProperty("data").Text("service")));
        Assert.Equal(6, (await admin.SettledDeliveriesAsync(toPlanOnly, 6)).Count);
        // A council in neither service bears none of it, so it is not told of it.
        Assert.Empty(await admin.DeliveriesAsync(toStranger));
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        var admin = factory.Admin();
        var (_, partner, service) = await PartnershipAsync();
        var (subscription, _) = await admin.SubscribeAsync(
            partner,
            _receiver.Url($"redirect/{partner}"),
            "cost-batch.accepted");

        await admin.PostBatchAsync((service, "2024-09", 10.00m));

        var delivery = Assert.Single(await admin.SettledDeliveriesAsync(subscription, 1));
        Assert.Equal(("failed", 302), (delivery.Text("status"), delivery.GetProperty("lastStatusCode").GetInt32()));
        Assert.Empty(_receiver.At("ok/redirected"));
    }

    [Fact]
    public async Task After_a_rotation_both_signatures_are_sent_and_a_deleted_webhook_gets_nothing_more()
    {
        var admin = factory.Admin();
        var (_, partner, service) = await PartnershipAsync();
        var path = $"ok/rotation-{partner}";
        var (subscription, oldSecret) = await admin.SubscribeAsync(partner, _receiver.Url(path), "cost-batch.accepted");

        var rotated = await admin.PostJsonAsync(
            $"/api/v1/webhooks/{subscription}/secret-rotations",
            new { },
            HttpStatusCode.OK);
        var newSecret = rotated.Text("secret");
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(rotated.TryGetProperty("previousSecretUntil", out _));
        await admin.PostBatchAsync((service, "2024-10", 10.00m));

        await WebhookSteps.EventuallyAsync(() => _receiver.At(path).Count >= 1, "the event after rotation");
        var received = Assert.Single(_receiver.At(path));
        Assert.Equal(2, received.Headers["webhook-signature"].ToString().Split(' ').Length);
        Assert.True(received.VerifiesWith(newSecret));
        Assert.True(received.CarriesSignatureOf(oldSecret));

        var listed = await admin.GetJsonAsync($"/api/v1/webhooks/{subscription}");
        Assert.False(listed.TryGetProperty("secret", out _));
        await (await admin.DeleteAsync($"/api/v1/webhooks/{subscription}")).JsonAsync(HttpStatusCode.OK);
        await (await admin.GetAsync($"/api/v1/webhooks/{subscription}")).ProblemAsync(HttpStatusCode.NotFound);
        var before = await factory.WithDb(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == subscription));
        await admin.PostBatchAsync((service, "2024-11", 10.00m));
        Assert.Equal(
            before,
            await factory.WithDb(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == subscription)));
    }

    [Fact]
    public async Task Subscriptions_are_refused_for_unsafe_urls_unknown_events_and_other_councils()
    {
        var admin = factory.Admin();
        var (host, partner, _) = await PartnershipAsync();
        foreach (var url in new[] {
            "http://hooks.example.org/x",
            "ftp://hooks.example.org/x",
            "https://10.1.2.3/x",
            "https://169.254.169.254/latest/meta-data",
            "https://127.0.0.2/x",
            "https://[::1]/x",
            "https://192.168.0.10/x",
            "https://user:pw@81.2.69.160/x",
            "not a url" })
        {
            await (await admin.PostAsJsonAsync(
                "/api/v1/webhooks",
                new { council = partner, url, events = new[] { "period.closed" } }))
                .ProblemAsync(HttpStatusCode.BadRequest, "url");
        }

        await (await admin.PostAsJsonAsync(
            "/api/v1/webhooks",
            new { council = partner, url = _receiver.Url("ok/x"), events = new[] { "period.opened" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "events[0]");
        await (await admin.PostAsJsonAsync(
            "/api/v1/webhooks",
            new { url = _receiver.Url("ok/x"), events = new[] { "period.closed" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "council");

        var partnerKey = await factory.CouncilClient(partner, Scopes.WebhooksManage);
        var forbidden = await (await partnerKey.PostAsJsonAsync(
            "/api/v1/webhooks",
            new { council = host, url = _receiver.Url("ok/x"), events = new[] { "period.closed" } }))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(host, forbidden.Text("detail"), StringComparison.Ordinal);

        // The secret is shown once: not in the list, the subscription, or the audit trail.
        var (id, secret) = await partnerKey.SubscribeAsync(null, _receiver.Url("ok/x"), "period.closed");
        var list = await partnerKey.GetJsonAsync("/api/v1/webhooks");
        Assert.All(list.Items(), w => Assert.Equal(partner, w.Text("council")));
        Assert.Contains(list.Items(), w => w.GetProperty("id").GetGuid() == id);
        var everywhere = string.Join(
            "\n",
            list.ToString(),
            (await partnerKey.GetJsonAsync($"/api/v1/webhooks/{id}")).ToString(),
            (await admin.GetJsonAsync("/api/v1/audit?entity=webhook&limit=500")).ToString());
        Assert.DoesNotContain(secret["whsec_".Length..], everywhere, StringComparison.Ordinal);
    }
}
