using Apportionment.Api.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;

namespace Apportionment.Api.Tests.Webhooks;

public sealed class TwoDispatcherTests(ManualDispatchFactory factory) : IClassFixture<ManualDispatchFactory>
{
    [Fact]
    public async Task Two_dispatchers_against_one_database_deliver_each_event_once()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("WDH", "WDP");
        var service = UniqueCode("WDS");
        await admin.CreateServiceAsync(service, councils[0], councils);
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, secret) = await admin.SubscribeAsync(
            councils[1],
            receiver.Url("ok/both"),
            "cost-batch.accepted");
        const int events = 30;
        for (var i = 0; i < events; i++)
        {
            await admin.PostBatchAsync((service, "2024-05", 1.00m + i));
        }

        // Two dispatchers, as two replicas would run them, claiming rounds at the same moments.
        var first = ActivatorUtilities.CreateInstance<WebhookDispatcher>(factory.Services);
        var second = ActivatorUtilities.CreateInstance<WebhookDispatcher>(factory.Services);
        var (byFirst, bySecond) = (0, 0);
        while (true)
        {
            var claims = await Task.WhenAll(
                first.RunOnceAsync(CancellationToken.None),
                second.RunOnceAsync(CancellationToken.None));
            if (claims.Sum() == 0)
            {
                break;
            }

            (byFirst, bySecond) = (byFirst + claims[0], bySecond + claims[1]);
        }

        Assert.Equal(events, byFirst + bySecond);
        Assert.True(
            byFirst > 0 && bySecond > 0,
            $"both dispatchers should have claimed deliveries ({byFirst}, {bySecond})");
        Assert.Equal(events, receiver.Received.Count);
        Assert.Equal(events, receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(receiver.Received, r => Assert.True(r.VerifiesWith(secret)));
        var log = await admin.DeliveriesAsync(subscription);
        Assert.All(log, d => Assert.Equal(("succeeded", 1), (d.Text("status"), d.GetProperty("attempts").GetInt32())));
        Assert.Equal(events, await factory.WithDb(db => db.WebhookAttempts.CountAsync()));
    }
}
