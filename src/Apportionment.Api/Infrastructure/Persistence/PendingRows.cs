namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>
/// The rows a command adds that a hot-path write (<see cref="Pipeline.ISavedInOneBatch"/>) saves itself: its row,
/// audit event and idempotency answer. While such a write runs they are kept here for <see cref="OneBatchWrite"/>, not
/// in EF Core's change tracker, whose attach, detect and accept for three rows cost about an eighth of the API's CPU
/// per posting (perf, 2026-12-04) only to be read back and written by hand. Any other command's rows go to EF Core.
/// </summary>
public sealed class PendingRows(ApportionmentDb db)
{
    private readonly List<object> _rows = [];
    private bool _oneBatch;

    public IReadOnlyList<object> Rows => _rows;

    public void Add<TRow>(TRow row)
        where TRow : class
    {
        if (_oneBatch)
        {
            _rows.Add(row);
        }
        else
        {
            db.Add(row);
        }
    }

    /// <summary>Starts (again) a one-batch write: what an earlier attempt added is dropped.</summary>
    public void StartOneBatch()
    {
        _rows.Clear();
        _oneBatch = true;
    }

    public void EndOneBatch()
    {
        _rows.Clear();
        _oneBatch = false;
    }
}
