using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Persistence;

/// <summary>
/// The hot-path batch writes only what its fixed statements hold; anything else in the same write goes through EF Core,
/// so no column and no row is dropped. No command reaches that today (only PostCost is one-batch), so it is driven here
/// directly, on the real database.
/// </summary>
public sealed class OneBatchWriteTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task A_reversal_in_a_one_batch_write_is_saved_with_what_it_reverses()
    {
        var (service, posted) = await PostedCostAsync();
        var reversal = Reversal(posted, "Posted to the wrong month");

        Assert.True(await SaveAsOneBatchAsync(pending => pending.Add(reversal)));

        var stored = await factory.WithDb(db => db.CostPostings.AsNoTracking().SingleAsync(p => p.Id == reversal.Id));
        Assert.Equal((posted.Id, "Posted to the wrong month", -posted.Amount),
            (stored.ReversalOf, stored.ReversalReason, stored.Amount));
        Assert.Equal(0m, await factory.WithDb(db => db.CostPostings
            .Where(p => p.ServiceCode == service).SumAsync(p => p.Amount)));
    }

    [Fact]
    public async Task A_row_added_through_ef_core_beside_a_one_batch_write_is_saved_with_it()
    {
        var (_, posted) = await PostedCostAsync();
        var posting = new CostPosting
        {
            Id = Guid.CreateVersion7(),
            ServiceCode = posted.ServiceCode,
            Month = posted.Month,
            Amount = 5.00m,
            Category = "staff",
            PaidBy = posted.PaidBy,
            PostedAt = DateTimeOffset.UtcNow,
        };
        var entityId = Guid.NewGuid().ToString();

        Assert.True(await SaveAsOneBatchAsync(
            pending => pending.Add(posting),
            db => db.Add(new AuditEvent
            {
                At = DateTimeOffset.UtcNow,
                KeyName = "test",
                Operation = "Test",
                Entity = "test",
                EntityId = entityId,
                Body = "{}",
            })));

        Assert.Equal(1, await factory.WithDb(db => db.CostPostings.CountAsync(p => p.Id == posting.Id)));
        Assert.Equal(1, await factory.WithDb(db => db.AuditEvents.CountAsync(e => e.EntityId == entityId)));
    }

    private async Task<(string Service, CostPosting Posted)> PostedCostAsync()
    {
        var councils = await _admin.NewCouncilsAsync("A", "B");
        var service = await _admin.ServiceWithFixedSplitAsync("OBW", "2024-04", (councils[0], 50m), (councils[1], 50m));
        var id = Guid.Parse((await _admin.PostCostAsync(service, "2024-05", 120.50m)).Text("id"));
        return (service, await factory.WithDb(db => db.CostPostings.AsNoTracking().SingleAsync(p => p.Id == id)));
    }

    private static CostPosting Reversal(CostPosting posted, string reason) => new()
    {
        Id = Guid.CreateVersion7(),
        ServiceCode = posted.ServiceCode,
        Month = posted.Month,
        Amount = -posted.Amount,
        Category = posted.Category,
        PaidBy = posted.PaidBy,
        ReversalOf = posted.Id,
        ReversalReason = reason,
        PostedAt = DateTimeOffset.UtcNow,
    };

    private async Task<bool> SaveAsOneBatchAsync(Action<PendingRows> add, Action<ApportionmentDb>? alsoThroughEf = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
        var pending = scope.ServiceProvider.GetRequiredService<PendingRows>();
        pending.StartOneBatch();
        add(pending);
        alsoThroughEf?.Invoke(db);
        return await OneBatchWrite.SaveAsync(
            db, pending, scope.ServiceProvider.GetRequiredService<ServiceCache>(), CancellationToken.None);
    }
}
