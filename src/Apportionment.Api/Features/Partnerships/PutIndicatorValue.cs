using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>council is null for the service's own figure.</summary>
public sealed record IndicatorValueDto(
    string Service, string Key, string Period,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Council,
    decimal Value, string? Note, DateTimeOffset RecordedAt);

/// <summary>
/// An indicator's figure for a month (monthly) or a quarter (quarterly), for the whole service (council omitted) or for
/// one council. As with activity figures, a council's key gives only its own council's figure; the service's figure is
/// the host's (or the admin key's) to give. A later value for the same period replaces the earlier one.
/// </summary>
public sealed record PutIndicatorValue(string? Council, decimal? Value, string? Note) :
    ICommand<IndicatorValueDto>,
    IAudited<IndicatorValueDto>
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Key { get; init; } = "";
    [JsonIgnore] public string Period { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "indicator-value";
    public string AuditEntityId(IndicatorValueDto response)
        => $"{response.Service}/{response.Key}/{response.Period}/{response.Council ?? "service"}";
}

public sealed class PutIndicatorValueValidator : IValidator<PutIndicatorValue>
{
    public void Validate(PutIndicatorValue request, ValidationErrors errors)
    {
        errors.Key("key", request.Key);
        if (!Domain.Period.TryParse(request.Period, out var period, out var error)
            || period!.Kind == PeriodKind.FinancialYear)
        {
            errors.Add("period", error ?? "Must be a month (2025-05) or a quarter (2025-26-Q1).");
        }

        if (request.Council is not null)
        {
            errors.Code("council", request.Council);
        }

        errors.Figure("value", request.Value);
        errors.Text("note", request.Note, 1000, required: false);
    }
}

public sealed class PutIndicatorValueHandler(ApportionmentDb db, Caller caller, TimeProvider clock)
    : ICommandHandler<PutIndicatorValue, IndicatorValueDto>
{
    public async ValueTask<IndicatorValueDto> Handle(PutIndicatorValue command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        var indicator = await db.Indicators.AsNoTracking()
            .SingleOrDefaultAsync(i => i.ServiceCode == service.Code && i.Key == command.Key, cancellationToken)
            ?? throw new NotFoundException($"Indicator of '{service.Code}'", command.Key);
        var period = Period.Parse(command.Period);
        var wanted = indicator.Frequency == IndicatorRules.Quarterly ? PeriodKind.Quarter : PeriodKind.Month;
        if (period.Kind != wanted)
        {
            throw RequestValidationException.For("period", $"'{indicator.Key}' is {indicator.Frequency}: give a "
                + $"{(wanted == PeriodKind.Quarter ? "quarter like 2025-26-Q1" : "month like 2025-05")}.");
        }

        if (command.Council is { } council)
        {
            if (service.Members.All(m => m.Council != council))
            {
                throw RequestValidationException.For("council", $"'{council}' is not a member of '{service.Code}'.");
            }

            // Like activity figures: no council may set another's.
            caller.EnsureActsFor(council, "give an indicator value (a council gives only its own)");
        }
        else
        {
            caller.EnsureActsFor(
                service.HostCouncil,
                "give the service's own indicator value (only the host council may)");
        }

        var text = period.ToString();
        var who = command.Council ?? IndicatorRules.WholeService;
        var value = await db.IndicatorValues.SingleOrDefaultAsync(
            v => v.ServiceCode == service.Code && v.Key == indicator.Key && v.Period == text
                && v.Council == who, cancellationToken);
        if (value is null)
        {
            value = new IndicatorValue
            {
                ServiceCode = service.Code,
                Key = indicator.Key,
                Period = text,
                Council = who
            };
            db.IndicatorValues.Add(value);
        }

        value.Value = command.Value!.Value;
        value.Note = command.Note;
        value.RecordedAt = clock.GetUtcNow();
        value.RecordedByKey = caller.KeyId;
        await db.SaveChangesAsync(cancellationToken);
        return new IndicatorValueDto(
            service.Code,
            indicator.Key,
            text,
            command.Council,
            value.Value,
            value.Note,
            value.RecordedAt);
    }
}
