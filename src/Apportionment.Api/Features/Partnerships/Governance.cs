using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// A partnership's governance facts. hostCouncil is the service's host. noticeBy is the last day notice to leave can be
/// given for the agreement to end on agreementEnd (agreementEnd less exitNoticeMonths); savingsTarget is the business
/// case's annual saving against the cost in baselineYear.
/// </summary>
public sealed record GovernanceDto(
    string Service, string ServiceName, string HostCouncil, IReadOnlyList<string> Members, string LegalBasis,
    DateOnly AgreementStart,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? AgreementEnd,
    int ExitNoticeMonths,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? NoticeBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? NextReview,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? SavingsTarget,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? BaselineYear,
    DateTimeOffset UpdatedAt)
{
    public static GovernanceDto From(SharedService s, PartnershipGovernance g) => new(
        s.Code, s.Name, s.HostCouncil, s.Members.Select(m => m.Council).Order(StringComparer.Ordinal).ToList(), g
            .LegalBasis,
        g.AgreementStart, g.AgreementEnd, g.ExitNoticeMonths, g.AgreementEnd?.AddMonths(-g.ExitNoticeMonths), g
            .NextReview,
        g.SavingsTarget, g.BaselineYear, g.UpdatedAt);
}

public sealed record PutGovernance(
    string? LegalBasis, DateOnly? AgreementStart, DateOnly? AgreementEnd, int? ExitNoticeMonths, DateOnly? NextReview,
    decimal? SavingsTarget, string? BaselineYear) : ICommand<GovernanceDto>, IAudited<GovernanceDto>
{
    [JsonIgnore] public string Service { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "governance";
    public string AuditEntityId(GovernanceDto response) => response.Service;
}

public sealed class PutGovernanceValidator : IValidator<PutGovernance>
{
    public void Validate(PutGovernance request, ValidationErrors errors)
    {
        errors.Text("legalBasis", request.LegalBasis, 1000);
        if (request.AgreementStart is null)
        {
            errors.Add("agreementStart", "Is required, as a date like 2009-04-01.");
        }
        else if (request.AgreementEnd is { } end && end <= request.AgreementStart)
        {
            errors.Add("agreementEnd", "Must be after agreementStart.");
        }

        if (request.ExitNoticeMonths is not (>= 0 and <= 120))
        {
            errors.Add("exitNoticeMonths", "Is required: 0 to 120 months.");
        }

        errors.Money("savingsTarget", request.SavingsTarget, required: false);
        if (request.SavingsTarget < 0)
        {
            errors.Add("savingsTarget", "Must be 0 or more.");
        }

        if (request.BaselineYear is not null && IndicatorRules.FinancialYear(request.BaselineYear) is null)
        {
            errors.Add("baselineYear", "Must be a financial year like 2008-09.");
        }
    }
}

/// <summary>The host council (or the admin key) records its partnership's governance.</summary>
public sealed class PutGovernanceHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutGovernance, GovernanceDto>
{
    public async ValueTask<GovernanceDto> Handle(PutGovernance command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "record the partnership's governance (only the host council may)");
        var g = await db.Governance.SingleOrDefaultAsync(x => x.ServiceCode == service.Code, cancellationToken);
        if (g is null)
        {
            g = new PartnershipGovernance { ServiceCode = service.Code, LegalBasis = "" };
            db.Governance.Add(g);
        }

        g.LegalBasis = command.LegalBasis!.Trim();
        g.AgreementStart = command.AgreementStart!.Value;
        g.AgreementEnd = command.AgreementEnd;
        g.ExitNoticeMonths = command.ExitNoticeMonths!.Value;
        g.NextReview = command.NextReview;
        g.SavingsTarget = command.SavingsTarget;
        g.BaselineYear = command.BaselineYear is null
            ? null
            : IndicatorRules.FinancialYear(command.BaselineYear)!.ToString();
        g.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return GovernanceDto.From(service, g);
    }
}

public sealed record GetGovernance(string Service) : IQuery<GovernanceDto>;

public sealed class GetGovernanceHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetGovernance, GovernanceDto>
{
    public async ValueTask<GovernanceDto> Handle(GetGovernance query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var g = await db.Governance.AsNoTracking()
            .SingleOrDefaultAsync(x => x.ServiceCode == service.Code, cancellationToken);
        return g is null
            ? throw new NotFoundException("Governance of shared service", service.Code)
            : GovernanceDto.From(service, g);
    }
}
