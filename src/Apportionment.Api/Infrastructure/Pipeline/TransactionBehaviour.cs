using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Every command runs in one database transaction. The whole unit is retried by Npgsql's execution strategy on a
/// transient failure, which is safe because nothing of a failed attempt was committed. A failure of the COMMIT itself
/// is never retried: the server may have committed before the connection broke, and repeating the work could write it
/// twice. The client gets a 503 and retries with its Idempotency-Key, which replays the answer if the first commit
/// held. A hot-path write marked <see cref="ISavedInOneBatch"/> opens no transaction: its rows go as one batch, which
/// PostgreSQL runs as one implicit transaction, and a broken connection during that batch is treated like a failed
/// COMMIT.
/// With reads on a standby, the commit and the primary's WAL position after it go in one round trip
/// (<see cref="CommitPosition"/>, answered as Read-After-Lsn).
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(
    ApportionmentDb db,
    LedgerDataSources sources,
    CommitPosition committed,
    ServiceCache services,
    PendingRows pending) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return next(message, cancellationToken);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return new ValueTask<TResponse>(strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            if (message is ISavedInOneBatch)
            {
                try
                {
                    pending.StartOneBatch();
                    var saved = await next(message, ct);
                    if (await SaveAsOneBatchAsync(ct))
                    {
                        return saved;
                    }

                    // What the command read from this replica's cache had changed: nothing was written. Once more,
                    // with what the database holds now; a second change in between is a conflict the client may retry.
                    db.ChangeTracker.Clear();
                    pending.StartOneBatch();
                    saved = await next(message, ct);
                    return await SaveAsOneBatchAsync(ct)
                        ? saved
                        : throw new ConflictException("The service changed while this was being saved; send it again.");
                }
                finally
                {
                    pending.EndOneBatch();
                }
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A failed save rolls the whole transaction back, so EF Core's savepoint around it would only cost two
            // round trips.
            db.Database.AutoSavepointsEnabled = false;
            var response = await next(message, ct);
            await db.SaveChangesAsync(ct);
            try
            {
                await CommitAsync(transaction, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw new CommitOutcomeUnknownException(e);
            }

            return response;
        }, cancellationToken));
    }

    private async Task CommitAsync(IDbContextTransaction transaction, CancellationToken ct)
    {
        if (sources.Reads is null)
        {
            await transaction.CommitAsync(ct);
            return;
        }

        // The position is read after the commit has finished (an error barrier between the two): one read inside the
        // transaction would come before its commit record, and a standby that replayed that far might not show it.
        await using var batch = new NpgsqlBatch(
            (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction)transaction.GetDbTransaction())
        {
            EnableErrorBarriers = true,
            BatchCommands = { new NpgsqlBatchCommand("commit"), new NpgsqlBatchCommand(LedgerDataSources.PositionSql) },
        };
        committed.Record((NpgsqlLogSequenceNumber)(await batch.ExecuteScalarAsync(ct))!);
    }

    private async Task<bool> SaveAsOneBatchAsync(CancellationToken ct)
    {
        // Its commit is the batch's own (implicit) one: the position is asked for after the request.
        committed.WrittenOtherwise();
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await OneBatchWrite.SaveAsync(db, pending, services, ct);
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e)
            && (e is not OperationCanceledException || !ct.IsCancellationRequested))
        {
            // Like a failed COMMIT: the batch may have been committed before the connection broke, so it is not
            // retried.
            throw new CommitOutcomeUnknownException(e);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }
    }
}
