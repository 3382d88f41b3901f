namespace Apportionment.Domain;

/// <summary>
/// Recharges support services (overheads) to the services they support and to councils directly, for one month.
/// Support services that do not support each other in a loop are applied in dependency order (step-down): each one's
/// cost is fixed to the penny, including what it received, before it is shared out by largest remainder. Services that
/// support each other (a cycle) are solved together by the reciprocal method: the simultaneous equations
/// gross = direct + received are solved exactly in rational arithmetic, then rounded once (see docs/overheads.md).
/// </summary>
public static class OverheadAllocation
{
    public static SupportMonthAllocation AllocateMonth(
        Month month,
        IReadOnlyList<SupportServiceMonth> support,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(support);
        var nodes = support.OrderBy(s => s.Service, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            if (!Money.HasAtMostTwoPlaces(nodes[i].DirectCost))
            {
                throw new ArgumentException($"Net cost {nodes[i].DirectCost} for {nodes[i].Service} in {month} has "
                    + "more than two decimal places.", nameof(support));
            }

            index.Add(nodes[i].Service, i);
        }

        var weights = new decimal[nodes.Length][];
        var failures = new ApportionmentException?[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            (weights[i], failures[i]) = Weights(month, nodes[i]);
        }

        var network = new Network(nodes, index, weights);
        var reached = network.Reached(i => nodes[i].DirectCost != 0m, failures);
        ThrowFirst(reached, failures);
        network.EnsureEveryCostReachesACouncil(month, reached);

        var received = new decimal[nodes.Length];
        var gross = new decimal[nodes.Length];
        var flows = new List<OverheadFlow>();
        foreach (var component in network.ComponentsUpstreamFirst(reached))
        {
            if (component.Count == 1)
            {
                var i = component[0];
                gross[i] = nodes[i].DirectCost + received[i];
                Share(i, gross[i], r => true);
            }
            else
            {
                SolveReciprocal(component);
            }
        }

        var grossCost = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            grossCost[nodes[i].Service] = Money.Normalise(gross[i]);
        }

        return new SupportMonthAllocation(month, flows.AsReadOnly(), grossCost);

        // Splits an amount in pennies between the service's recipients the filter admits, by largest remainder.
        void Share(int i, decimal amount, Func<int, bool> admits)
        {
            var rule = nodes[i].Rule;
            var picked = Enumerable.Range(0, rule.Recipients.Count).Where(r => weights[i][r] > 0m && admits(r))
                .ToArray();
            var w = picked.Select(r => weights[i][r]).ToArray();
            var keys = picked.Select(r => rule.Recipients[r].TieKey).ToArray();
            var parts = new decimal[picked.Length];
            LargestRemainder.Allocate(amount, w, keys, parts);
            for (var k = 0; k < picked.Length; k++)
            {
                Flow(i, picked[k], parts[k]);
            }
        }

        void Flow(int i, int r, decimal amount)
        {
            var to = nodes[i].Rule.Recipients[r];
            if (to.IsService && index.TryGetValue(to.Code, out var j))
            {
                received[j] += amount;
            }

            if (amount != 0m)
            {
                flows.Add(new OverheadFlow(nodes[i].Service, to, Money.Normalise(amount), nodes[i].Rule.Method));
            }
        }

        // Reciprocal method for services that support each other. The services are taken farthest from the way out of
        // the cycle first (ties in code order). A flow back to a service already taken is fixed in advance from the
        // exact gross cost; every other figure follows by largest remainder from pennies already fixed: the first
        // service shares its whole gross cost, later ones what is left after their fixed flows. So every service,
        // flow and council share adds up exactly, and no figure is more than a few pence from the exact answer.
        void SolveReciprocal(IReadOnlyList<int> members)
        {
            var exact = network.SolveExactly(members, i => nodes[i].DirectCost + received[i], cancellationToken);
            var distance = network.WaysOut(members);
            var order = members.OrderByDescending(m => distance[m]).ThenBy(m => m).ToList();
            bool IsFixed(int i, int r)
                => network.TargetIn(i, r, members) is var j and >= 0 && order.IndexOf(j) < order.IndexOf(i);
            var fixedOut = new decimal[nodes.Length];
            foreach (var i in members)
            {
                var rule = nodes[i].Rule;
                var picked = Enumerable.Range(0, rule.Recipients.Count).Where(r => weights[i][r] > 0m).ToArray();
                var parts = new decimal[picked.Length];
                LargestRemainder.Allocate(
                    exact[i].ToPennies(),
                    picked.Select(r => weights[i][r]).ToArray(),
                    picked.Select(r => rule.Recipients[r].TieKey).ToArray(),
                    parts);
                for (var k = 0; k < picked.Length; k++)
                {
                    if (IsFixed(i, picked[k]))
                    {
                        fixedOut[i] += parts[k];
                        Flow(i, picked[k], parts[k]);
                    }
                }
            }

            foreach (var i in order)
            {
                gross[i] = nodes[i].DirectCost + received[i];
                Share(i, gross[i] - fixedOut[i], r => !IsFixed(i, r));
            }
        }
    }

    private static void ThrowFirst(bool[] reached, ApportionmentException?[] failures)
    {
        for (var i = 0; i < reached.Length; i++)
        {
            if (reached[i] && failures[i] is { } failure)
            {
                throw failure;
            }
        }
    }

    /// <summary>
    /// Each recipient's weight, or the reason the month's driver figures cannot be used (thrown only if the service has
    /// cost to share).
    /// </summary>
    private static (decimal[] Weights, ApportionmentException? Failure) Weights(Month month, SupportServiceMonth node)
    {
        var rule = node.Rule;
        var weights = new decimal[rule.Recipients.Count];
        switch (rule.Method)
        {
            case SplitMethod.Fixed:
                for (var r = 0; r < weights.Length; r++)
                {
                    weights[r] = rule.Percents[r];
                }

                return (weights, null);
            case SplitMethod.Equal:
                weights.AsSpan().Fill(1m);
                return (weights, null);
            default:
                var missing = new List<string>();
                var negative = new List<string>();
                for (var r = 0; r < weights.Length; r++)
                {
                    var code = rule.Recipients[r].Code;
                    if (node.Activity is null || !node.Activity.TryGetValue(code, out var quantity))
                    {
                        missing.Add(code);
                    }
                    else if (quantity < 0m)
                    {
                        negative.Add(code);
                    }
                    else
                    {
                        weights[r] = quantity;
                    }
                }

                var failure = missing.Count > 0
                    ? new ApportionmentException(node.Service, month, ApportionmentFailure.MissingDriverFigures,
                        $"driver '{rule.Driver}' has no figure for {string.Join(", ", missing)}", missing.AsReadOnly())
                    : negative.Count > 0
                        ? new ApportionmentException(node.Service, month, ApportionmentFailure.NegativeDriverFigure,
                            $"driver '{rule.Driver}' has a negative figure for {string.Join(", ", negative)}")
                        : weights.Sum() == 0m
                            ? new ApportionmentException(node.Service, month, ApportionmentFailure.ZeroDriverActivity,
                                $"driver '{rule.Driver}' has a total of zero for the month, so there is no proportion "
                                    + "to split by")
                            : null;
                return (weights, failure);
        }
    }
}
