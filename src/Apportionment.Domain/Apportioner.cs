namespace Apportionment.Domain;

/// <summary>
/// Splits a shared service's net cost between councils month by month, each month under the agreement
/// in force that month, so a ratio change part-way through a year is honoured.
/// </summary>
public static class Apportioner
{
    /// <summary>
    /// Apportions the given months of <paramref name="period"/> (months not supplied are treated as having
    /// no cost). A month with a cost but no agreement, or a driver month whose figures cannot be used,
    /// throws <see cref="ApportionmentException"/>. Period allocations cover every council named by any
    /// month's agreement, in ordinal order, and add up exactly to the period's net cost.
    /// </summary>
    public static ServiceApportionment Apportion(string service, Period period, IEnumerable<ServiceMonthInput> months)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(months);

        var inputs = months.OrderBy(m => m.Month).ToList();
        var results = new List<MonthApportionment>(inputs.Count);
        var totals = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var netCost = 0m;
        Month? previous = null;
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(months));
            if (!period.Contains(input.Month))
            {
                throw new ArgumentException($"Month {input.Month} is outside period {period}.", nameof(months));
            }

            if (previous == input.Month)
            {
                throw new ArgumentException($"Month {input.Month} is given more than once.", nameof(months));
            }

            previous = input.Month;
            var month = ApportionMonth(service, input);
            results.Add(month);
            netCost += month.NetCost;
            foreach (var allocation in month.Allocations)
            {
                totals[allocation.Council] = totals.GetValueOrDefault(allocation.Council) + allocation.Amount;
            }
        }

        var allocations = totals.Select(t => new CouncilAmount(t.Key, t.Value)).ToArray();
        return new ServiceApportionment(service, period, Money.Normalise(netCost), results.AsReadOnly(), allocations);
    }

    private static MonthApportionment ApportionMonth(string service, ServiceMonthInput input)
    {
        if (!Money.HasAtMostTwoPlaces(input.NetCost))
        {
            throw new ArgumentException(
                $"Net cost {input.NetCost} for {service} in {input.Month} has more than two decimal places; amounts "
                    + "are never rounded.",
                nameof(input));
        }

        var cost = Money.Normalise(input.NetCost);
        if (input.Agreement is null)
        {
            return cost == 0m
                ? new MonthApportionment(input.Month, cost, null, null, [])
                : throw new ApportionmentException(
                    service,
                    input.Month,
                    ApportionmentFailure.NoAgreementInForce,
                    "no agreed split agreement is in force");
        }

        var rule = input.Agreement.Rule;
        var councils = rule.Councils;
        var weights = new decimal[councils.Count];
        if (rule.Method == SplitMethod.Driver && cost == 0m)
        {
            // Nothing to share: a month without activity figures is fine when it also has no cost.
            weights.AsSpan().Fill(1m);
        }
        else
        {
            FillWeights(service, input, rule, weights);
        }

        var codes = councils.ToArray();
        var parts = new decimal[codes.Length];
        LargestRemainder.Allocate(cost, weights, codes, parts);
        var allocations = new CouncilAmount[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            allocations[i] = new CouncilAmount(codes[i], parts[i]);
        }

        return new MonthApportionment(input.Month, cost, input.Agreement.AgreementId, rule.Method, allocations);
    }

    private static void FillWeights(string service, ServiceMonthInput input, SplitRule rule, decimal[] weights)
    {
        switch (rule.Method)
        {
            case SplitMethod.Fixed:
                // Shares are kept in the same ordinal council order as Councils.
                for (var i = 0; i < weights.Length; i++)
                {
                    weights[i] = rule.Shares[i].Percent;
                }

                break;
            case SplitMethod.Equal:
                weights.AsSpan().Fill(1m);
                break;
            case SplitMethod.Driver:
                FillDriverWeights(service, input, rule, weights);
                break;
            default:
                throw new InvalidOperationException($"Unknown split method {rule.Method}.");
        }
    }

    private static void FillDriverWeights(string service, ServiceMonthInput input, SplitRule rule, decimal[] weights)
    {
        var driver = rule.Driver;
        var missing = new List<string>();
        var negative = new List<string>();
        var total = 0m;
        for (var i = 0; i < weights.Length; i++)
        {
            var council = rule.Councils[i];
            if (input.Activity is null || !input.Activity.TryGetValue(council, out var quantity))
            {
                missing.Add(council);
                continue;
            }

            if (quantity < 0m)
            {
                negative.Add(council);
            }

            weights[i] = quantity;
            total += quantity;
        }

        if (missing.Count > 0)
        {
            throw new ApportionmentException(
                service,
                input.Month,
                ApportionmentFailure.MissingDriverFigures,
                $"driver '{driver}' has no figure for {string.Join(", ", missing)}",
                missing.AsReadOnly());
        }

        if (negative.Count > 0)
        {
            throw new ApportionmentException(
                service,
                input.Month,
                ApportionmentFailure.NegativeDriverFigure,
                $"driver '{driver}' has a negative figure for {string.Join(", ", negative)}");
        }

        if (total == 0m)
        {
            throw new ApportionmentException(
                service,
                input.Month,
                ApportionmentFailure.ZeroDriverActivity,
                $"driver '{driver}' has a total of zero for the month, so there is no proportion to split by");
        }
    }
}
