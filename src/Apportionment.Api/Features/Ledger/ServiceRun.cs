namespace Apportionment.Api.Features.Ledger;

/// <summary>
/// The months a service runs in (start to end month) and which of them may be written to. A figure outside the run, or
/// in a month that has not begun, would sit where no statement shows it, yet block ending the service.
/// </summary>
public static class ServiceRun
{
    public static bool Contains(this SharedService service, DateOnly month) =>
        month >= service.StartMonth && (service.EndMonth is not { } end || month <= end);

    public static string RunText(this SharedService service) =>
        $"'{service.Code}' runs from "
            + $"{service.StartMonth.ToMonthText()}{(service.EndMonth is { } e ? " to " + e.ToMonthText() : "")}";

    /// <summary>The month now (UTC), as stored: its first day.</summary>
    public static DateOnly CurrentMonth(this TimeProvider clock)
        => Month.FromDate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).FirstDay;

    /// <summary>
    /// Postings, batches and activity go into a month of the run that has begun (400 naming the field otherwise).
    /// </summary>
    public static void EnsureWritable(
        this SharedService service,
        DateOnly month,
        TimeProvider clock,
        string field = "month")
    {
        if (ProblemWith(service, month, clock) is { } problem)
        {
            throw RequestValidationException.For(field, problem);
        }
    }

    /// <summary>Why the month cannot be written to, or null if it can.</summary>
    public static string? ProblemWith(SharedService service, DateOnly month, TimeProvider clock)
    {
        if (!service.Contains(month))
        {
            return $"{service.RunText()}; {month.ToMonthText()} is outside it.";
        }

        return month > clock.CurrentMonth()
            ? $"{month.ToMonthText()} has not begun: figures are recorded for months that have started."
            : null;
    }
}
