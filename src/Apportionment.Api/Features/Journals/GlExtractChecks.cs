using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Domain;

namespace Apportionment.Api.Features.Journals;

/// <summary>A checked extract line: the service and category its codes lead to.</summary>
public readonly record struct GlPostable(
    GlExtractLine Line,
    string Service,
    string Category,
    DateOnly Month,
    string PaidBy);

/// <summary>
/// The rules for an extract's lines, applied as each is read so only running totals are kept: malformed fields (up to
/// 100 named), then months outside a service's run, then codes that lead to no service (refused, naming the line and
/// its codes, or with unmapped=skip left out and listed). Any refusal refuses the whole extract.
/// </summary>
internal sealed class GlExtractChecks(
    string council,
    CodesInForce codes,
    IReadOnlyDictionary<string, SharedService> services,
    TimeProvider clock,
    bool skip)
{
    private const int MaxListed = 100;
    private readonly ValidationErrors _malformed = new();
    private readonly ValidationErrors _refused = new();
    private readonly List<SkippedLineDto> _unmapped = [];
    private readonly Dictionary<StoredCodes, Dictionary<(string, string), (string Service, string Category)>> _maps
        = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (int Lines, decimal Amount)> _byService = new(StringComparer.Ordinal);
    private int _unmappedCount;

    public int Lines { get; private set; }

    public int SkippedCount => skip ? _unmappedCount : 0;

    public IReadOnlyList<SkippedLineDto> Skipped => skip ? _unmapped : [];

    public IReadOnlyList<GlExtractServiceDto> ByService =>
        _byService.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new GlExtractServiceDto(s.Key, s.Value.Lines, s.Value.Amount))
            .ToList();

    private bool Refused
        => Lines > PostGlExtract.MaxLines || !_malformed.IsEmpty || !_refused.IsEmpty || (!skip && _unmappedCount > 0);

    public GlPostable? Check(GlExtractLine line)
    {
        Lines++;
        var at = $"lines[{line.Number}]";
        if (Lines > PostGlExtract.MaxLines || _malformed.Count >= MaxListed)
        {
            return null;
        }

        _malformed.LedgerCode(at + ".costCentre", line.CostCentre);
        _malformed.LedgerCode(at + ".account", line.Account);
        _malformed.MonthText(at + ".month", line.Month);
        _malformed.Money(at + ".amount", line.Amount);
        _malformed.Text(at + ".description", line.Description, 1000, required: false);
        _malformed.Name(at + ".reference", line.Reference, 100, required: false);
        if (!_malformed.IsEmpty)
        {
            return null;
        }

        var month = Month.Parse(line.Month);
        if (codes.At(month) is not { } inForce
            || !MapOf(inForce).TryGetValue((line.CostCentre, line.Account), out var mapped)
            || !services.TryGetValue(mapped.Service, out var service))
        {
            _unmappedCount++;
            if (_unmapped.Count < (skip ? 10_000 : MaxListed))
            {
                _unmapped.Add(new SkippedLineDto(line.Number, line.CostCentre, line.Account, line.Month));
            }

            return null;
        }

        if (ServiceRun.ProblemWith(service, month.FirstDay, clock) is { } problem && _refused.Count < MaxListed)
        {
            _refused.Add(at + ".month", problem);
        }

        if (Refused)
        {
            return null;
        }

        var total = _byService.GetValueOrDefault(mapped.Service);
        _byService[mapped.Service] = (total.Lines + 1, total.Amount + line.Amount!.Value);
        return new GlPostable(line, mapped.Service, mapped.Category, month.FirstDay, council);
    }

    public void ThrowIfRefused()
    {
        if (Lines is 0 or > PostGlExtract.MaxLines)
        {
            throw RequestValidationException.For(
                "lines",
                $"Send between 1 and {PostGlExtract.MaxLines:N0} lines after the header.");
        }

        if (!_malformed.IsEmpty || !_refused.IsEmpty)
        {
            throw new RequestValidationException((_malformed.IsEmpty ? _refused : _malformed).ToDictionary());
        }

        if (!skip && _unmappedCount > 0)
        {
            var listed = string.Join("; ", _unmapped.Take(20)
                .Select(u => $"line {u.Line}: cost centre {u.CostCentre}, account {u.Account}, {u.Month}"));
            throw new UnprocessableException(GetJournalHandler.UnmappedType, "Lines whose codes lead to no service.",
                $"{_unmappedCount} line(s) have a cost centre and account that {council}'s ledger codes do not lead to "
                    + $"a shared service ({listed}). "
                + "Add them to the codes' costAccounts, or send unmapped=skip to leave such lines out.")
            {
                Extensions = { ["lines"] = _unmapped },
            };
        }
    }

    private Dictionary<(string, string), (string Service, string Category)> MapOf(StoredCodes inForce)
    {
        if (!_maps.TryGetValue(inForce, out var map))
        {
            map = [];
            foreach (var s in inForce.Services)
            {
                foreach (var a in s.CostAccounts ?? [])
                {
                    map[(s.CostCentre!, a!.Account!)] = (s.Service!, a.Category!.Trim());
                }
            }

            _maps[inForce] = map;
        }

        return map;
    }
}
