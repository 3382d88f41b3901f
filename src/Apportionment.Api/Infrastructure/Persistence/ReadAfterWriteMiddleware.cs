using Apportionment.Api.Infrastructure.Errors;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Apportionment.Api.Infrastructure.Persistence;

public sealed class ReadAfterWriteOptions
{
    /// <summary>How long a read that must see a write waits for the standby before it goes to the primary.</summary>
    public int ReadAfterWriteWaitMilliseconds { get; set; } = 250;
}

/// <summary>
/// Read-your-write when reads go to a standby, which can lag the primary. Every successful write answers with
/// <see cref="Header"/>, the primary's WAL position once it has committed (read with the commit when the command ran in
/// a transaction, see <see cref="CommitPosition"/>, else asked for here); a read sent with that header is served by
/// the standby only once the standby has replayed that far (waiting briefly for it), else by the primary. With one
/// database nothing is added or checked.
/// </summary>
public sealed class ReadAfterWriteMiddleware(
    RequestDelegate next,
    LedgerDataSources sources,
    IOptions<ReadAfterWriteOptions> options,
    ILogger<ReadAfterWriteMiddleware> logger)
{
    public const string Header = "Read-After-Lsn";

    public async Task InvokeAsync(HttpContext http, ReadRoute route, CommitPosition committed)
    {
        if (sources.Reads is null)
        {
            await next(http);
            return;
        }

        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            if (request.Headers[Header] is [{ } text])
            {
                if (!NpgsqlLogSequenceNumber.TryParse(text, out var position))
                {
                    throw RequestValidationException.For(
                        Header,
                        "Must be a log sequence number such as 0/16B3748, as a write returned it.");
                }

                route.ToPrimary = sources.ReadsBalanced || !await ReplayedAsync(position, http.RequestAborted);
            }
        }
        else
        {
            http.Response.OnStarting(() => AddPositionAsync(http, committed));
        }

        await next(http);
    }

    private async Task<bool> ReplayedAsync(NpgsqlLogSequenceNumber position, CancellationToken ct)
    {
        try
        {
            return await sources.ReadsHaveReplayedAsync(
                position,
                TimeSpan.FromMilliseconds(options.Value.ReadAfterWriteWaitMilliseconds),
                ct);
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e) && !ct.IsCancellationRequested)
        {
            // The standby cannot say: the primary can.
            logger.LogWarning(
                "Read side unreachable for a read-after-write check; reading from the primary: {Error}",
                e.Message);
            return false;
        }
    }

    private async Task AddPositionAsync(HttpContext http, CommitPosition committed)
    {
        if (http.Response.StatusCode is < 200 or >= 300)
        {
            return;
        }

        if (committed.Committed is { } position)
        {
            http.Response.Headers[Header] = position.ToString();
            return;
        }

        try
        {
            http.Response.Headers[Header] = (await sources.PrimaryPositionAsync(http.RequestAborted)).ToString();
        }
        catch (Exception e) when (ProblemExceptionHandler.IsDatabaseUnavailable(e))
        {
            // The write stands; without the header a following read may simply be a moment behind.
            logger.LogWarning("Could not read the primary's WAL position after a write: {Error}", e.Message);
        }
    }
}
