namespace Apportionment.Api.Features.Agreements;

/// <summary>
/// Whether a support agreement can run in every month it would govern (from its effectiveFrom to the service's next
/// agreed agreement or its end): each service it supports runs in all those months, and the support network it would
/// make has no loop that keeps its cost to itself or is larger than <see cref="SupportLoops.MaxLoopSize"/>. Checked at
/// proposal and again at the last approval, since other agreements may have been agreed in between.
/// </summary>
public static class SupportChecks
{
    /// <summary>Why the agreement cannot run, or null if it can.</summary>
    public static async Task<string?> ProblemAsync(
        ApportionmentDb db,
        SharedService service,
        SplitAgreement agreement,
        CancellationToken ct)
    {
        var agreed = await db.SplitAgreements.AsNoTracking()
            .Where(a => a.Status == AgreementStatus.Agreed && a.Id != agreement.Id)
            .Select(a => new { a.ServiceCode, a.EffectiveFrom, a.AgreedAt, a.Supports, a.Councils })
            .ToListAsync(ct);
        var until = agreed.Where(a => a.ServiceCode == service.Code && a.EffectiveFrom > agreement.EffectiveFrom)
            .Min(a => (DateOnly?)a.EffectiveFrom);
        var last = (until?.AddMonths(-1), service.EndMonth) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            (var a, var b) => a ?? b,
        };

        var supported = await db.SharedServices.AsNoTracking().Where(s => agreement.Supports.Contains(s.Code))
            .ToListAsync(ct);
        foreach (var target in supported.OrderBy(s => s.Code, StringComparer.Ordinal))
        {
            if (agreement.EffectiveFrom < target.StartMonth)
            {
                return $"{target.RunText()}; an agreement from {agreement.EffectiveFrom.ToMonthText()} would feed it "
                    + "costs before it starts.";
            }

            if (target.EndMonth is { } end && (last is null || last > end))
            {
                return $"{target.RunText()}; this agreement would feed it costs after it "
                    + $"ends{(last is { } l ? $" (to {l.ToMonthText()})" : "")}. " +
                    $"Agree a later agreement for '{service.Code}' from {end.AddMonths(1).ToMonthText()} first.";
            }
        }

        // The network changes only where an agreement takes effect: check it at each such month the agreement governs.
        var months = agreed.Select(a => a.EffectiveFrom)
            .Where(m => m > agreement.EffectiveFrom && (until is null || m < until))
            .Append(agreement.EffectiveFrom)
            .Distinct()
            .Order();
        foreach (var month in months)
        {
            var network = agreed.Where(a => a.ServiceCode != service.Code && a.EffectiveFrom <= month)
                .GroupBy(a => a.ServiceCode)
                .Select(g => g.OrderBy(a => a.EffectiveFrom).ThenBy(a => a.AgreedAt).Last())
                .Select(a => (a.ServiceCode, a.Supports, a.Councils))
                .Append((agreement.ServiceCode, agreement.Supports, agreement.Councils))
                .Where(a => a.Supports.Length > 0)
                .ToDictionary(
                    a => a.Item1,
                    a => new SupportLinks(a.Supports, a.Councils.Length > 0),
                    StringComparer.Ordinal);
            if (SupportLoops.FirstProblem(network) is { } problem)
            {
                return $"From {month.ToMonthText()}, {problem.Describe()}.";
            }
        }

        return null;
    }
}
