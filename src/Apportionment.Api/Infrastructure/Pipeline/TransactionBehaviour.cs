namespace Apportionment.Api.Infrastructure.Pipeline;

/// <summary>
/// Every command runs in one database transaction. The whole unit is retried by Npgsql's execution strategy on a
/// transient failure, which is safe because nothing of a failed attempt was committed. A failure of the COMMIT itself
/// is never retried: the server may have committed before the connection broke, and repeating the work could write it
/// twice. The client gets a 503 and retries with its Idempotency-Key, which replays the answer if the first commit
/// held. A hot-path write marked <see cref="ISavedInOneBatch"/> opens no transaction: its rows go as one batch, which
/// PostgreSQL runs as one implicit transaction, and a broken connection during that batch is treated like a failed
/// COMMIT.
/// </summary>
public sealed class TransactionBehaviour<TMessage, TResponse>(
    ApportionmentDb db,
    ServiceCache services) : IPipelineBehavior<TMessage, TResponse>
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
                var saved = await next(message, ct);
                if (await SaveAsOneBatchAsync(ct))
                {
                    return saved;
                }

                // What the command read from this replica's cache had changed: nothing was written. Once more, with
                // what the database holds now; a second change in between is a conflict the client may retry.
                db.ChangeTracker.Clear();
                saved = await next(message, ct);
                return await SaveAsOneBatchAsync(ct)
                    ? saved
                    : throw new ConflictException("The service changed while this was being saved; send it again.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A failed save rolls the whole transaction back, so EF Core's savepoint around it would only cost two
            // round trips.
            db.Database.AutoSavepointsEnabled = false;
            var response = await next(message, ct);
            await db.SaveChangesAsync(ct);
            try
            {
                await transaction.CommitAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw new CommitOutcomeUnknownException(e);
            }

            return response;
        }, cancellationToken));
    }

    private async Task<bool> SaveAsOneBatchAsync(CancellationToken ct)
    {
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            return await OneBatchWrite.SaveAsync(db, services, ct);
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
