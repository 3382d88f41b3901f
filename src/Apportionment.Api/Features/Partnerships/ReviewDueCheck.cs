using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Webhooks;
using Apportionment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// Once a day, sends partnership.review-due to every member of a partnership whose next review has come within the
/// register's six-month window (or passed). Each review date is announced once: the date announced is kept with the
/// governance facts, so a moved review is announced again. A daily check rather than on read, so a GET never writes
/// and the event arrives even if nobody looks at the register. Instances running together take turns (a lock).
/// </summary>
public sealed class ReviewDueCheck(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<ReviewDueCheck> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    /// <summary>Announces every review now due; returns how many partnerships were announced.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
        var outbox = scope.ServiceProvider.GetRequiredService<WebhookOutbox>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var horizon = today.AddMonths(PartnershipWindow.Months);
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await db.Database
                .ExecuteSqlRawAsync("select pg_advisory_xact_lock(hashtext('apportionment:review-due'))", token);
            var due = await db.Governance
                .Where(g => g.NextReview != null && g.NextReview <= horizon
                    && (g.ReviewDueNotifiedFor == null || g.ReviewDueNotifiedFor != g.NextReview))
                .OrderBy(g => g.ServiceCode).ToListAsync(token);
            foreach (var g in due)
            {
                var year = Period.FinancialYear(Month.FromDate(today).FinancialYearStart).ToString();
                await outbox.PartnershipReviewDueAsync(g.ServiceCode, g.NextReview!.Value, g.AgreementEnd, year, token);
                g.ReviewDueNotifiedFor = g.NextReview;
            }

            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return due.Count;
        }, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and migrations run) first.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await RunOnceAsync(stoppingToken);
                logger.LogInformation("Partnership review check: {Count} review(s) announced", sent);
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Typically the database not there yet; try again within the hour rather than stop the host.
                logger.LogWarning("Partnership review check failed: {Error}", e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
