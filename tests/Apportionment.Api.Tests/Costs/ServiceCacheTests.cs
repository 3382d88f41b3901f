using Apportionment.Api.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Apportionment.Api.Tests.Costs;

/// <summary>
/// Each replica keeps services and members in memory for the posting path. A change made anywhere else (another
/// replica, or SQL) is seen by the very next posting, and a replica that stops hearing about changes stops using its
/// copy until it hears again.
/// </summary>
public sealed class ServiceCacheTests(ServiceCacheTests.QuietListenerFactory factory)
    : IClassFixture<ServiceCacheTests.QuietListenerFactory>
{
    /// <summary>The listener's connection keeps its LISTEN as its last statement: a test can find and cut it.</summary>
    public sealed class QuietListenerFactory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Database:ListenCheckSeconds", "3600");
        }
    }

    /// <summary>A second replica of the API on the first one's database.</summary>
    private sealed class SecondReplica(string connectionString) : ApiFactory
    {
        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }

    private ServiceCache Cache => factory.Services.GetRequiredService<ServiceCache>();

    [Fact]
    public async Task A_member_removed_in_SQL_cannot_post_the_next_cost()
    {
        var (code, _, guest) = await ServiceHeardOfAsync();

        await factory.WithDb(db => db.Database.ExecuteSqlAsync(
            $"delete from service_members where service_code = {code} and council = {guest}"));

        var refused = await factory.Admin().PostCostRawAsync(code, "2024-05", 20m, paidBy: guest);
        await refused.ProblemAsync(HttpStatusCode.BadRequest, "paidBy");
        Assert.Single(await LedgerAsync(code));
    }

    [Fact]
    public async Task A_replica_that_missed_a_change_still_refuses_the_posting_it_no_longer_allows()
    {
        var (code, _, guest) = await ServiceHeardOfAsync();

        // No notification is sent, so this replica still holds the service as it was: the write's own check catches it.
        await factory.WithDb(db => db.Database.ExecuteSqlRawAsync(
            """
            begin;
            alter table service_members disable trigger service_members_changed;
            delete from service_members where service_code = {0} and council = {1};
            alter table service_members enable trigger service_members_changed;
            commit;
            """,
            code,
            guest));
        Assert.True(await HeldAsync(code));
        var audited = await factory.CountAsync<AuditEvent>();

        var refused = await factory.Admin().PostCostRawAsync(code, "2024-05", 20m, paidBy: guest);
        await refused.ProblemAsync(HttpStatusCode.BadRequest, "paidBy");
        Assert.Single(await LedgerAsync(code));
        Assert.Equal(audited, await factory.CountAsync<AuditEvent>());
    }

    [Fact]
    public async Task A_change_through_another_replica_is_seen_by_the_next_posting()
    {
        var (code, host, guest) = await ServiceHeardOfAsync();
        var third = (await LedgerMembersAsync(code)).Single(c => c != host && c != guest);
        await using var second = new SecondReplica(factory.ConnectionString);
        await ((IAsyncLifetime)second).InitializeAsync();
        var elsewhere = second.Admin();

        (await elsewhere.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { members = new[] { host, guest } }))
            .EnsureSuccessStatusCode();
        var removed = await factory.Admin().PostCostRawAsync(code, "2024-05", 20m, paidBy: third);
        await removed.ProblemAsync(HttpStatusCode.BadRequest, "paidBy");

        (await elsewhere.PatchAsJsonAsync($"/api/v1/shared-services/{code}", new { endMonth = "2024-06" }))
            .EnsureSuccessStatusCode();
        var afterEnd = await factory.Admin().PostCostRawAsync(code, "2024-07", 20m, paidBy: host);
        await afterEnd.ProblemAsync(HttpStatusCode.BadRequest, "month");

        await factory.Admin().PostCostAsync(code, "2024-06", 30m, paidBy: host);
        Assert.Equal([10m, 30m], (await LedgerAsync(code)).Order());
    }

    [Fact]
    public async Task A_change_in_SQL_is_forgotten_by_every_replica_that_held_the_service()
    {
        var (code, _, _) = await ServiceHeardOfAsync();
        Assert.True(await HeldAsync(code));

        await factory.WithDb(db => db.Database.ExecuteSqlAsync(
            $"update shared_services set name = 'Renamed' where code = {code}"));

        Assert.True(await EventuallyAsync(async () => !await HeldAsync(code)), "The notification never evicted it.");
    }

    [Fact]
    public async Task Losing_the_listening_connection_empties_the_cache_until_it_listens_again()
    {
        var (code, _, guest) = await ServiceHeardOfAsync();
        var first = await ListenerAsync();
        Assert.NotNull(first);

        await factory.WithDb(db => db.Database.ExecuteSqlAsync($"select pg_terminate_backend({first!.Value})"));
        await factory.WithDb(db => db.Database.ExecuteSqlAsync(
            $"delete from service_members where service_code = {code} and council = {guest}"));

        Assert.True(await EventuallyAsync(async () => await ListenerAsync() is { } again && again != first));
        Assert.True(await EventuallyAsync(() => Task.FromResult(Cache.Serving)));
        Assert.False(await HeldAsync(code));
        var refused = await factory.Admin().PostCostRawAsync(code, "2024-05", 20m, paidBy: guest);
        await refused.ProblemAsync(HttpStatusCode.BadRequest, "paidBy");
    }

    private Task<List<string>> LedgerMembersAsync(string code) => factory.WithDb(db =>
        db.ServiceMembers.Where(m => m.ServiceCode == code).Select(m => m.Council).ToListAsync());

    /// <summary>A service with three members whose guest has posted once, so this replica holds it.</summary>
    private async Task<(string Code, string Host, string Guest)> ServiceHeardOfAsync()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("HOST", "GUEST", "THIRD");
        var (host, guest) = (councils[0], councils[1]);
        var code = ApiSteps.UniqueCode("CACHE");
        await admin.CreateServiceAsync(code, host, councils);
        Assert.True(await EventuallyAsync(() => Task.FromResult(Cache.Serving)), "The replica never listened.");
        await admin.PostCostAsync(code, "2024-04", 10m, paidBy: guest);
        // The service's creation is announced too, and may arrive after the posting kept it: keep it again until held.
        Assert.True(await EventuallyAsync(async () =>
        {
            await Cache.GetAsync(code, (c, ct) => factory.WithDb(db => db.SharedServices.AsNoTracking()
                .Include(x => x.Members).SingleOrDefaultAsync(x => x.Code == c, ct)), CancellationToken.None);
            return await HeldAsync(code);
        }), "The replica never kept the service.");
        return (code, host, guest);
    }

    /// <summary>Whether this replica answers for the service from memory (the read is not called).</summary>
    private async Task<bool> HeldAsync(string code)
    {
        var read = false;
        await Cache.GetAsync(code, (_, _) =>
        {
            read = true;
            return Task.FromResult<SharedService?>(null);
        }, CancellationToken.None);
        return !read;
    }

    private Task<int?> ListenerAsync() => factory.WithDb(async db => (await db.Database.SqlQuery<int>(
            $"""
             select pid as "Value" from pg_stat_activity
             where query = 'listen service_changed' and datname = current_database()
             """)
        .ToListAsync()) is [var pid] ? pid : (int?)null);

    private async Task<List<decimal>> LedgerAsync(string code) => await factory.WithDb(db =>
        db.CostPostings.Where(p => p.ServiceCode == code).Select(p => p.Amount).ToListAsync());

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
