using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Webhooks;

namespace Apportionment.Api.Features.Agreements;

/// <summary>
/// Proposes how a service's costs are split from a month on. It is in force only once every council it names approves.
/// With <c>supports</c> it is a support agreement: the service is a support service (an overhead such as a shared admin
/// team) whose cost goes to the services it supports, and to any councils named directly; every member council of the
/// support service must approve it.
/// </summary>
public sealed record ProposeAgreement(
    string EffectiveFrom,
    string Method,
    IReadOnlyList<ShareDto>? Shares,
    IReadOnlyList<string>? Councils,
    string? Driver,
    IReadOnlyList<SupportDto>? Supports = null)
    : ICommand<AgreementDto>, IAudited<AgreementDto>
{
    [JsonIgnore]
    public string Service { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "split-agreement";
    public string AuditEntityId(AgreementDto response) => response.Id.ToString();
}

public sealed class ProposeAgreementValidator : IValidator<ProposeAgreement>
{
    public void Validate(ProposeAgreement request, ValidationErrors errors)
    {
        errors.MonthText("effectiveFrom", request.EffectiveFrom);
        // Exactly one of the names: Enum.TryParse would also take "fixed, equal" (flags syntax) and numbers.
        if (!Enum.GetNames<SplitMethod>().Any(n => n.Equals(request.Method, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("method", "Must be one of fixed, equal, driver.");
            return;
        }

        errors.Name("driver", request.Driver, 64, required: false);
        if (!errors.NoNullElements("shares", request.Shares) | !errors.NoNullElements("councils", request.Councils))
        {
            return;
        }

        var method = Enum.Parse<SplitMethod>(request.Method, ignoreCase: true);
        var shares = request.Shares?.Select(s => new CouncilShare(s.Council, s.Percent)).ToList();
        errors.AddRange(request.Supports is null
            ? SplitRule.Validate(method, shares, request.Councils, request.Driver)
            : SupportRule.Validate(
                request.Service,
                method,
                shares,
                request.Councils,
                request.Supports.Select(s => new SupportedShare(s.Service, s.Percent)).ToList(),
                request.Driver));
        for (var i = 0; i < (request.Supports?.Count ?? 0); i++)
        {
            if (request.Supports![i] is { Service: { } code } && !Rules.IsCode(code))
            {
                errors.Add($"supports[{i}].service", "Must be 2–16 characters of A–Z, 0–9 and '-'.");
            }
        }
    }
}

public sealed class ProposeAgreementHandler(
    ApportionmentDb db,
    Caller caller,
    ClosedMonths closed,
    WebhookOutbox outbox,
    TimeProvider clock) : ICommandHandler<ProposeAgreement, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ProposeAgreement command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        var method = Enum.Parse<SplitMethod>(command.Method, ignoreCase: true);
        if (command.Supports is not null)
        {
            return await ProposeSupportAsync(service, method, command, cancellationToken);
        }

        var rule = method switch
        {
            SplitMethod.Fixed => SplitRule.Fixed(command.Shares!.Select(s => new CouncilShare(s.Council, s.Percent))),
            SplitMethod.Equal => SplitRule.Equal(command.Councils!),
            _ => SplitRule.ByDriver(command.Driver!, command.Councils!),
        };

        EnsureMembers(service, method, rule.Councils);
        var effectiveFrom = await EffectiveFromAsync(service, command.EffectiveFrom, [], cancellationToken);
        return await SaveAsync(
            Proposal(service, effectiveFrom, method, rule.Driver, [.. rule.Councils], rule.Shares),
            cancellationToken);
    }

    /// <summary>
    /// A support agreement: the supported services must exist and be visible to the caller (a service it cannot see
    /// answers exactly as one that does not exist), councils named directly must be members. Every council that will
    /// bear its cost approves it: the support service's members and the members of every service it supports.
    /// </summary>
    private async Task<AgreementDto> ProposeSupportAsync(
        SharedService service,
        SplitMethod method,
        ProposeAgreement command,
        CancellationToken ct)
    {
        var supports = command.Supports!.Select(s => new SupportedShare(s.Service, s.Percent)).ToList();
        var shares = command.Shares?.Select(s => new CouncilShare(s.Council, s.Percent)).ToList();
        var rule = SupportRule.Create(service.Code, method, shares, command.Councils, supports, command.Driver);
        var codes = supports.Select(s => s.Service).ToList();
        var supported = (await db.SharedServices.AsNoTracking().Include(s => s.Members)
            .Where(s => codes.Contains(s.Code))
            .ToListAsync(ct))
            .Where(s => caller.CanSee(s.Members.Select(m => m.Council))).ToList();
        var unknown = codes.Except(supported.Select(s => s.Code), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw RequestValidationException.For(
                "supports",
                $"Unknown shared service(s): {string.Join(", ", unknown)}.");
        }

        var councils = rule.Recipients.Where(r => !r.IsService).Select(r => r.Code).ToArray();
        EnsureMembers(service, method, councils);
        var effectiveFrom = await EffectiveFromAsync(service, command.EffectiveFrom, codes, ct);
        var approvers = service.Members.Concat(supported.SelectMany(s => s.Members)).Select(m => m.Council).Distinct()
            .Order(StringComparer.Ordinal);
        var support = new SupportTerms(
            [.. codes.Order(StringComparer.Ordinal)],
            method == SplitMethod.Fixed
                ? supports.ToDictionary(s => s.Service, s => s.Percent!.Value, StringComparer.Ordinal)
                : null,
            [.. approvers]);
        var proposal = Proposal(service, effectiveFrom, method, rule.Driver, councils, shares ?? [], support);
        if (await SupportChecks.ProblemAsync(db, service, proposal, ct) is { } problem)
        {
            throw RequestValidationException.For("supports", problem);
        }

        return await SaveAsync(proposal, ct);
    }

    private sealed record SupportTerms(string[] Supports, Dictionary<string, decimal>? Percents, string[] Approvers);

    private SplitAgreement Proposal(
        SharedService service, DateOnly effectiveFrom, SplitMethod method, string? driver, string[] councils,
        IEnumerable<CouncilShare> shares, SupportTerms? support = null)
    {
        var id = Guid.CreateVersion7();
        return new SplitAgreement
        {
            Id = id,
            ServiceCode = service.Code,
            EffectiveFrom = effectiveFrom,
            Method = method.ToString().ToLowerInvariant(),
            Driver = driver,
            Councils = councils,
            Shares = shares.Select(
                s => new AgreementShare { AgreementId = id, Council = s.Council, Percent = s.Percent }).ToList(),
            Supports = support?.Supports ?? [],
            SupportPercents = support?.Percents,
            ApprovingCouncils = support?.Approvers,
            Status = AgreementStatus.Proposed,
            ProposedAt = clock.GetUtcNow(),
        };
    }

    private static void EnsureMembers(SharedService service, SplitMethod method, IEnumerable<string> councils)
    {
        var members = service.Members.Select(m => m.Council).ToHashSet(StringComparer.Ordinal);
        var outsiders = councils.Where(c => !members.Contains(c)).ToList();
        if (outsiders.Count > 0)
        {
            throw RequestValidationException.For(method == SplitMethod.Fixed ? "shares" : "councils",
                $"Not member(s) of '{service.Code}': {string.Join(", ", outsiders)}. Add them to the service first.");
        }
    }

    private async Task<DateOnly> EffectiveFromAsync(
        SharedService service,
        string text,
        IReadOnlyCollection<string> supported,
        CancellationToken ct)
    {
        var effectiveFrom = text.ToMonthColumn();
        if (effectiveFrom < service.StartMonth)
        {
            throw RequestValidationException.For(
                "effectiveFrom",
                $"Must not be before the service started ({service.StartMonth.ToMonthText()}).");
        }

        await closed.EnsureAgreementMonthsOpenAsync(service.Code, effectiveFrom, ct, supported);
        return effectiveFrom;
    }

    private async Task<AgreementDto> SaveAsync(SplitAgreement agreement, CancellationToken ct)
    {
        db.SplitAgreements.Add(agreement);
        await db.SaveChangesAsync(ct);
        await outbox.AgreementAsync(WebhookEventTypes.AgreementProposed, agreement, ct);
        return AgreementDto.From(agreement);
    }
}

public static class ProposeAgreementEndpoint
{
    public static void MapProposeAgreement(this RouteGroupBuilder agreements) =>
        agreements
            .MapPost("/", async (string code, ProposeAgreement command, IMediator mediator, CancellationToken ct) =>
                {
                    var agreement = await mediator.Send(command with { Service = code }, ct);
                    return TypedResults.Created($"/api/v1/shared-services/{code}/agreements/{agreement.Id}", agreement);
                })
            .WithName("ProposeAgreement")
            .WithSummary(
                "Propose a split agreement (fixed, equal or driver) effective from a month.")
            .RequireAuthorization(Scopes.AgreementsApprove);
}
