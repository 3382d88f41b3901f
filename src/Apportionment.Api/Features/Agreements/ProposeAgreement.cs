using System.Text.Json.Serialization;
using Apportionment.Api.Features.Periods;
using Apportionment.Api.Features.Shared;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;

namespace Apportionment.Api.Features.Agreements;

/// <summary>Proposes how a service's costs are split from a month on. It is in force only once every council it names approves.</summary>
public sealed record ProposeAgreement(string EffectiveFrom, string Method, IReadOnlyList<ShareDto>? Shares, IReadOnlyList<string>? Councils, string? Driver)
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
        errors.AddRange(SplitRule.Validate(method, shares, request.Councils, request.Driver));
    }
}

public sealed class ProposeAgreementHandler(ApportionmentDb db, Caller caller, ClosedMonths closed, TimeProvider clock) : ICommandHandler<ProposeAgreement, AgreementDto>
{
    public async ValueTask<AgreementDto> Handle(ProposeAgreement command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        var method = Enum.Parse<SplitMethod>(command.Method, ignoreCase: true);
        var rule = method switch
        {
            SplitMethod.Fixed => SplitRule.Fixed(command.Shares!.Select(s => new CouncilShare(s.Council, s.Percent))),
            SplitMethod.Equal => SplitRule.Equal(command.Councils!),
            _ => SplitRule.ByDriver(command.Driver!, command.Councils!),
        };

        var members = service.Members.Select(m => m.Council).ToHashSet(StringComparer.Ordinal);
        var outsiders = rule.Councils.Where(c => !members.Contains(c)).ToList();
        if (outsiders.Count > 0)
        {
            throw RequestValidationException.For(method == SplitMethod.Fixed ? "shares" : "councils",
                $"Not member(s) of '{service.Code}': {string.Join(", ", outsiders)}. Add them to the service first.");
        }

        var effectiveFrom = command.EffectiveFrom.ToMonthColumn();
        if (effectiveFrom < service.StartMonth)
        {
            throw RequestValidationException.For("effectiveFrom", $"Must not be before the service started ({service.StartMonth.ToMonthText()}).");
        }

        await closed.EnsureAgreementMonthsOpenAsync(service.Code, effectiveFrom, cancellationToken);
        var id = Guid.CreateVersion7();
        var agreement = new SplitAgreement
        {
            Id = id,
            ServiceCode = service.Code,
            EffectiveFrom = effectiveFrom,
            Method = method.ToString().ToLowerInvariant(),
            Driver = rule.Driver,
            Councils = rule.Councils.ToArray(),
            Shares = rule.Shares.Select(s => new AgreementShare { AgreementId = id, Council = s.Council, Percent = s.Percent }).ToList(),
            Status = AgreementStatus.Proposed,
            ProposedAt = clock.GetUtcNow(),
        };
        db.SplitAgreements.Add(agreement);
        await db.SaveChangesAsync(cancellationToken);
        return AgreementDto.From(agreement);
    }
}

public static class ProposeAgreementEndpoint
{
    public static void MapProposeAgreement(this RouteGroupBuilder agreements) =>
        agreements.MapPost("/", async (string code, ProposeAgreement command, IMediator mediator, CancellationToken ct) =>
            {
                var agreement = await mediator.Send(command with { Service = code }, ct);
                return TypedResults.Created($"/api/v1/shared-services/{code}/agreements/{agreement.Id}", agreement);
            })
            .WithName("ProposeAgreement").WithSummary("Propose a split agreement (fixed, equal or driver) effective from a month.")
            .RequireAuthorization(Scopes.AgreementsApprove);
}
