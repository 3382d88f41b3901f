namespace Apportionment.Domain;

/// <summary>
/// The month's support services as a graph: an edge from a support service to each recipient it gives a positive
/// share. Councils and services that are not support services this month are where costs leave the network.
/// </summary>
internal sealed class Network(SupportServiceMonth[] nodes, Dictionary<string, int> index, decimal[][] weights)
{
    /// <summary>The support service a recipient is, or -1 for a council or a service that only receives.</summary>
    private int Target(int i, int r)
    {
        var to = nodes[i].Rule.Recipients[r];
        return to.IsService && index.TryGetValue(to.Code, out var j) ? j : -1;
    }

    private IEnumerable<int> Next(int i)
    {
        for (var r = 0; r < weights[i].Length; r++)
        {
            if (weights[i][r] > 0m && Target(i, r) is var j and >= 0)
            {
                yield return j;
            }
        }
    }

    /// <summary>The member of the group a recipient is, or -1 when the recipient is outside it.</summary>
    public int TargetIn(int i, int r, IReadOnlyList<int> members)
        => Target(i, r) is var j and >= 0 && members.Contains(j) ? j : -1;

    private bool IsInside(int i, int r, IReadOnlyList<int> members) => TargetIn(i, r, members) >= 0;

    /// <summary>
    /// Support services that have cost to share: their own, or some passed to them. Unusable figures stop the walk.
    /// </summary>
    public bool[] Reached(Func<int, bool> hasCost, ApportionmentException?[] failures)
    {
        var reached = new bool[nodes.Length];
        var queue = new Queue<int>();
        for (var i = 0; i < nodes.Length; i++)
        {
            if (hasCost(i))
            {
                reached[i] = true;
                queue.Enqueue(i);
            }
        }

        while (queue.TryDequeue(out var i))
        {
            if (failures[i] is not null)
            {
                continue;
            }

            foreach (var j in Next(i).Where(j => !reached[j]))
            {
                reached[j] = true;
                queue.Enqueue(j);
            }
        }

        return reached;
    }

    /// <summary>
    /// A loop of support services that only pay each other would keep its cost forever: no council would bear it.
    /// </summary>
    public void EnsureEveryCostReachesACouncil(Month month, bool[] reached)
    {
        var distance = WaysOut(Enumerable.Range(0, nodes.Length).Where(i => reached[i]).ToList());
        var trapped = Enumerable.Range(0, nodes.Length).Where(i => reached[i] && distance[i] == int.MaxValue)
            .Select(i => nodes[i].Service)
            .ToList();
        if (trapped.Count > 0)
        {
            throw new ApportionmentException(trapped[0], month, ApportionmentFailure.ClosedSupportLoop,
                $"support services {string.Join(", ", trapped)} pass their costs only to each other, so no council or "
                    + "supported service ever bears them");
        }
    }

    /// <summary>
    /// For each member, the number of steps to the nearest recipient outside the group (int.MaxValue: none).
    /// </summary>
    public int[] WaysOut(IReadOnlyList<int> members)
    {
        var distance = Enumerable.Repeat(int.MaxValue, nodes.Length).ToArray();
        foreach (var i in members)
        {
            for (var r = 0; r < weights[i].Length; r++)
            {
                if (weights[i][r] > 0m && !IsInside(i, r, members))
                {
                    distance[i] = 1;
                }
            }
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var i in members.Where(m => distance[m] != 1))
            {
                for (var r = 0; r < weights[i].Length; r++)
                {
                    if (weights[i][r] > 0m && IsInside(i, r, members)
                        && distance[Target(i, r)] is var d and < int.MaxValue
                        && d + 1 < distance[i])
                    {
                        (distance[i], changed) = (d + 1, true);
                    }
                }
            }
        }

        return distance;
    }

    /// <summary>
    /// Strongly connected groups of the reached services (Tarjan), suppliers before the services they supply.
    /// </summary>
    public List<IReadOnlyList<int>> ComponentsUpstreamFirst(bool[] reached)
    {
        var order = new List<IReadOnlyList<int>>();
        var number = new int[nodes.Length];
        var low = new int[nodes.Length];
        var onStack = new bool[nodes.Length];
        var stack = new Stack<int>();
        var counter = 0;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (reached[i] && number[i] == 0)
            {
                Visit(i);
            }
        }

        // Tarjan finishes a group only after every group it feeds, so reversing puts suppliers first.
        order.Reverse();
        return order;

        void Visit(int v)
        {
            number[v] = low[v] = ++counter;
            stack.Push(v);
            onStack[v] = true;
            foreach (var w in Next(v))
            {
                if (number[w] == 0)
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack[w])
                {
                    low[v] = Math.Min(low[v], number[w]);
                }
            }

            if (low[v] == number[v])
            {
                var group = new List<int>();
                int w;
                do
                {
                    w = stack.Pop();
                    onStack[w] = false;
                    group.Add(w);
                }
                while (w != v);
                group.Sort();
                order.Add(group);
            }
        }
    }

    /// <summary>
    /// The reciprocal equations for a group, gross[i] = given[i] + Σ gross[j] × share of j going to i, solved exactly
    /// by Gaussian elimination over fractions. Every member can pass cost out of the group, so the system has one
    /// solution. The elimination is the one step whose work grows fast with the group (cubic, on growing fractions), so
    /// it stops between columns when the request that asked for it is cancelled.
    /// </summary>
    public Dictionary<int, Fraction> SolveExactly(
        IReadOnlyList<int> members,
        Func<int, decimal> given,
        CancellationToken cancellationToken = default)
    {
        var n = members.Count;
        var position = new Dictionary<int, int>();
        for (var k = 0; k < n; k++)
        {
            position[members[k]] = k;
        }

        var m = new Fraction[n, n + 1];
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                m[row, col] = row == col ? Fraction.One : Fraction.Zero;
            }

            m[row, n] = Fraction.Of(given(members[row]));
        }

        foreach (var j in members)
        {
            var total = Fraction.Of(weights[j].Sum());
            for (var r = 0; r < weights[j].Length; r++)
            {
                if (weights[j][r] > 0m && Target(j, r) is var i and >= 0 && position.TryGetValue(i, out var row))
                {
                    m[row, position[j]] -= Fraction.Of(weights[j][r]) / total;
                }
            }
        }

        for (var col = 0; col < n; col++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pivot = col;
            while (m[pivot, col].IsZero)
            {
                pivot++;
            }

            for (var c = 0; c <= n; c++)
            {
                (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            }

            for (var row = 0; row < n; row++)
            {
                if (row != col && !m[row, col].IsZero)
                {
                    var factor = m[row, col] / m[col, col];
                    for (var c = col; c <= n; c++)
                    {
                        m[row, c] -= factor * m[col, c];
                    }
                }
            }
        }

        var result = new Dictionary<int, Fraction>();
        for (var k = 0; k < n; k++)
        {
            result[members[k]] = m[k, n] / m[k, k];
        }

        return result;
    }
}
