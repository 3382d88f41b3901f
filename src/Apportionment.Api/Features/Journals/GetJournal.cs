using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Apportionment.Domain.Journals;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Journals;

/// <summary>
/// A council's journal for a month, quarter or year in an ERP's layout: each service's statement balance, month by
/// month, moved between the service's account and the control account in the codes in force that month.
/// </summary>
public sealed record GetJournal(
    string Council,
    string Period,
    string? Format,
    string? Provisional,
    string? Header) : IQuery<JournalFile>
{
    public bool IsProvisional => string.Equals(Provisional, "true", StringComparison.OrdinalIgnoreCase);
}

public sealed class GetJournalValidator : IValidator<GetJournal>
{
    public void Validate(GetJournal request, ValidationErrors errors)
    {
        errors.PeriodText("period", request.Period);
        if (request.Format is not null && !JournalFormat.Names.Contains(request.Format))
        {
            errors.Add("format", $"Must be one of: {string.Join(", ", JournalFormat.Names)}.");
        }

        Flag(errors, "provisional", request.Provisional);
        Flag(errors, "header", request.Header);
    }

    private static void Flag(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && !bool.TryParse(value, out _))
        {
            errors.Add(field, "Must be true or false.");
        }
    }
}

public sealed class GetJournalHandler(
    ApportionmentDb db,
    Caller caller,
    LedgerReader ledger) : IQueryHandler<GetJournal, JournalFile>
{
    public const string UnmappedType = ProblemTypes.Prefix + "unmapped-services";
    public const string OpenMonthType = ProblemTypes.Prefix + "open-months";

    public async ValueTask<JournalFile> Handle(GetJournal query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read journals");
        var period = Period.Parse(query.Period);
        var format = JournalFormat.All.Single(f => f.Name == (query.Format ?? JournalFormat.Generic));
        var read = await ledger.ReadCouncilAsync(query.Council, period, cancellationToken, withCloses: true);
        if (read.Unapportioned.Count > 0)
        {
            var first = read.Unapportioned[0];
            throw new UnprocessableException(ProblemTypes.CannotApportion, "The costs cannot be apportioned.",
                "A journal must carry every service: "
                    + $"{string.Join(", ", read.Unapportioned.Select(u => $"{u.Service} {u.Month}"))} cannot be "
                    + "apportioned yet.")
            {
                Extensions = { ["service"] = first.Service, ["month"] = first.Month },
            };
        }

        var versions = await db.LedgerCodes.AsNoTracking()
            .Where(v => v.Council == query.Council
                && v.EffectiveFrom <= period.Last.FirstDay).ToListAsync(cancellationToken);
        var codes = new CodesInForce(versions);
        var closes = read.Closes.ToDictionary(c => (c.Service, c.Month));
        var (entries, unmapped, open) = (new List<JournalEntry>(), new SortedSet<string>(
            StringComparer.Ordinal), new List<string>());
        foreach (var service in read.Ledgers)
        {
            foreach (var month in period.Months
                .Where(m => m.FirstDay >= service.StartMonth && (service.EndMonth is not { } end || m.FirstDay <= end)))
            {
                var closed = closes.GetValueOrDefault((service.Service, month.FirstDay));
                if (closed is null)
                {
                    open.Add($"{service.Service} {month}");
                }

                var balance = service.BalanceOf(query.Council, month);
                if (balance == 0m)
                {
                    continue;
                }

                var inForce = codes.At(month);
                if (inForce?.For(service.Service) is not { } mapped)
                {
                    unmapped.Add(service.Service);
                    continue;
                }

                // A closed month keeps the name it was issued under, so a re-export of it is the same file.
                entries.Add(new JournalEntry(service.Service, closed?.ServiceName ?? service.Name, month, balance,
                    inForce.ServiceAccount(mapped, service.HostCouncil == query.Council), inForce.Control(mapped)));
            }
        }

        Refuse(query, format, unmapped, open, entries);
        var journal = JournalBuilder.Build(query.Council, period, entries, query.IsProvisional);
        return new JournalFile(
            new JournalDocument(journal, m => codes.At(m) is { } c ? (c.Ledger, c.JournalType) : (null, null)),
            format,
            !string.Equals(query.Header, "false", StringComparison.OrdinalIgnoreCase));
    }

    private static void Refuse(
        GetJournal query,
        JournalFormat format,
        SortedSet<string> unmapped,
        List<string> open,
        List<JournalEntry> entries)
    {
        if (unmapped.Count > 0)
        {
            throw new UnprocessableException(UnmappedType, "Services without ledger codes.",
                $"'{query.Council}' has no ledger codes for {string.Join(", ", unmapped)} in the months the journal "
                    + $"needs; set them with PUT /api/v1/councils/{query.Council}/ledger-codes.")
            {
                Extensions = { ["services"] = unmapped.ToList() },
            };
        }

        if (open.Count > 0 && !query.IsProvisional)
        {
            throw new ConflictException(
                "Months not yet closed: "
                    + $"{string.Join(", ", open.Take(20))}{(open.Count > 20 ? $" and {open.Count - 20} more" : "")}. "
                    + "Their figures may still move; ask with provisional=true for a journal marked provisional.",
                OpenMonthType);
        }

        var noFund = entries.Where(e => e.ServiceAccount.Fund is null).Select(e => e.Service).Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (format is Unit4Format && noFund.Count > 0)
        {
            throw new UnprocessableException(UnmappedType, "Services without a fund.",
                $"Unit4 needs a fund on every line; '{query.Council}' has none for {string.Join(", ", noFund)}.")
            {
                Extensions = { ["services"] = noFund },
            };
        }
    }
}
