namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// The ledger read model every slice may use: the ledger reader, closed months, council statements, savings and budget
/// monitoring. It depends on no slice, so a slice that needs figures another slice shows reads them here.
/// </summary>
public static class LedgerSetup
{
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddScoped<LedgerReader>();
        services.AddScoped<ClosedMonths>();
        services.AddScoped<CouncilStatements>();
        services.AddSingleton<StatementCache>();
        services.AddOptions<StatementCacheOptions>().BindConfiguration(StatementCacheOptions.Section)
            .Validate(o => o.Entries >= 0, "StatementCache:Entries cannot be negative.")
            .ValidateOnStart();
        services.AddScoped<SavingsReader>();
        services.AddScoped<BudgetMonitoringReader>();
        services.AddScoped<IFigureStatus, FigureStatusReader>();
        services.AddOptions<BudgetMonitoringOptions>().BindConfiguration(BudgetMonitoringOptions.Section)
            .Validate(
                o => o.AtRiskPercent >= 0m && o.OverPercent >= o.AtRiskPercent,
                "Budgets:Monitoring needs 0 <= AtRiskPercent <= OverPercent.")
            .ValidateOnStart();
        return services;
    }
}
