using Apportionment.Api.Features.Activity;
using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Features.ApiKeys;
using Apportionment.Api.Features.Audit;
using Apportionment.Api.Features.Billing;
using Apportionment.Api.Features.Budgets;
using Apportionment.Api.Features.Costs;
using Apportionment.Api.Features.Councils;
using Apportionment.Api.Features.Journals;
using Apportionment.Api.Features.Partnerships;
using Apportionment.Api.Features.Periods;
using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Services;
using Apportionment.Api.Features.System;
using Apportionment.Api.Features.Webhooks;
using Apportionment.Api.Infrastructure.OpenApi;
using Apportionment.Api.Infrastructure.Webhooks;

namespace Apportionment.Api.Features;

/// <summary>Every area of the v1 API, one small file each.</summary>
public static class ApiMap
{
    public static RouteGroupBuilder MapApportionmentApi(this RouteGroupBuilder api) => api
        .MapVersion()
        .MapCouncils()
        .MapSharedServices()
        .MapAgreements()
        .MapActivity()
        .MapCosts()
        .MapPeriods()
        .MapReports()
        .MapApiKeys()
        .MapWebhooks()
        .MapCurrentKey()
        .MapAudit()
        .MapBudgets()
        .MapPartnerships()
        .MapJournals()
        .MapBilling();

    public static IServiceCollection AddFeatureServices(this IServiceCollection services) => services
        .AddLedger()
        .AddSingleton(new RequestExampleCatalog(
            RequestExamples.ByType,
            RequestExamples.MoreByType,
            RequestExamples.CsvByOperation))
        .AddPartnerships()
        .AddBilling()
        .AddWebhookDelivery();
}
