namespace Apportionment.Api.Features.Costs;

/// <summary>A checked line of a batch, ready for the ledger.</summary>
public readonly record struct PostableLine(CostBatchLine Line, DateOnly Month, string PaidBy);

/// <summary>
/// The rules for a batch's lines, applied to each line as it is read, so that only running totals are kept. The
/// answers are the same as checking the whole batch at once: the line count first, then malformed fields (up to 100),
/// then unknown services, members and months (up to 100), then lines the key may not post. Any of them refuses the
/// whole batch, so once one is found no further line is passed on for writing.
/// </summary>
public sealed class CostBatchChecks(
    Caller caller,
    TimeProvider clock,
    IReadOnlyDictionary<string, SharedService> services)
{
    private const int MaxErrors = 100;
    private readonly ValidationErrors _malformed = new();
    private readonly ValidationErrors _refused = new();
    private readonly List<string> _forbidden = [];
    private readonly Dictionary<string, (int Lines, decimal Amount)> _byService = new(StringComparer.Ordinal);

    public int Lines { get; private set; }

    public bool Refused
        => Lines is 0 or > PostCostBatch.MaxLines || !_malformed.IsEmpty || !_refused.IsEmpty || _forbidden.Count > 0;

    public IReadOnlyList<BatchServiceTotalDto> ByService =>
        _byService.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new BatchServiceTotalDto(s.Key, s.Value.Lines, s.Value.Amount))
            .ToList();

    /// <summary>The line to write, or null when it (or an earlier one) refuses the batch.</summary>
    public PostableLine? Check(CostBatchLine? line)
    {
        Lines++;
        var at = $"lines[{Lines}]";
        if (Lines > PostCostBatch.MaxLines)
        {
            return null;
        }

        if (_malformed.Count < MaxErrors)
        {
            CheckFields(line, at);
        }

        if (!_malformed.IsEmpty)
        {
            return null;
        }

        if (_refused.Count >= MaxErrors)
        {
            return null;
        }

        var month = Month.Parse(line!.Month!).FirstDay;
        if (!services.TryGetValue(line.Service!, out var service)
            || !caller.CanSee(service.Members.Select(m => m.Council)))
        {
            // A service the key's council is not a member of is answered exactly as one that does not exist.
            _refused.Add(at + ".service", $"Unknown shared service '{line.Service}'.");
            return null;
        }

        var paidBy = line.PaidBy ?? (caller.IsAdmin ? service.HostCouncil : caller.Council!);
        if (service.Members.All(m => m.Council != paidBy))
        {
            _refused.Add(at + ".paidBy", $"Council '{paidBy}' is not a member of '{service.Code}'.");
        }
        else if (!caller.IsAdmin && paidBy != caller.Council)
        {
            // Named in the answer up to 20; counted beyond, so a refused 100,000-line batch keeps no list of them.
            if (_forbidden.Count < 20)
            {
                _forbidden.Add($"line {Lines}");
            }
        }

        if (ServiceRun.ProblemWith(service, month, clock) is { } monthProblem)
        {
            _refused.Add(at + ".month", monthProblem);
        }

        if (Refused)
        {
            return null;
        }

        var total = _byService.GetValueOrDefault(service.Code);
        _byService[service.Code] = (total.Lines + 1, total.Amount + line.Amount!.Value);
        return new PostableLine(line, month, paidBy);
    }

    /// <summary>Once every line has been read: the first rule the batch broke, if any.</summary>
    public void ThrowIfRefused()
    {
        if (Lines is 0 or > PostCostBatch.MaxLines)
        {
            throw RequestValidationException.For("lines", $"Send between 1 and {PostCostBatch.MaxLines:N0} lines.");
        }

        if (!_malformed.IsEmpty || !_refused.IsEmpty)
        {
            throw new RequestValidationException((_malformed.IsEmpty ? _refused : _malformed).ToDictionary());
        }

        if (_forbidden.Count > 0)
        {
            throw new ForbiddenException($"This key belongs to council '{caller.Council}' and can post only what that "
                + $"council paid ({string.Join(", ", _forbidden)}).");
        }
    }

    private void CheckFields(CostBatchLine? line, string at)
    {
        if (line is null)
        {
            _malformed.Add(at, "Must be a cost line object, not null.");
            return;
        }

        if (!Rules.IsCode(line.Service))
        {
            _malformed.Add(at + ".service", "Must be a shared service code.");
        }

        _malformed.MonthText(at + ".month", line.Month);
        _malformed.Money(at + ".amount", line.Amount);
        _malformed.Name(at + ".category", line.Category, 100);
        if (line.PaidBy is not null)
        {
            _malformed.Code(at + ".paidBy", line.PaidBy);
        }

        _malformed.Name(at + ".reference", line.Reference, 100, required: false);
        _malformed.Text(at + ".description", line.Description, 1000, required: false);
    }
}
