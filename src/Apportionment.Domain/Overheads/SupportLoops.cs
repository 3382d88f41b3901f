namespace Apportionment.Domain;

/// <summary>
/// Where one support service's cost may go in a month: the services it names, and whether it charges councils.
/// </summary>
public sealed record SupportLinks(IReadOnlyList<string> Services, bool ChargesCouncils);

/// <summary>A group of support services that cannot run: why, and who is in it (ordinal order).</summary>
public sealed record SupportLoopProblem(IReadOnlyList<string> Services, bool Closed)
{
    public string Describe() => Closed
        ? $"support services {string.Join(", ", Services)} would pass their costs only to each other, so no council or "
            + "supported service would ever bear them"
        : $"support services {string.Join(", ", Services)} would support each other in one loop of {Services.Count}; a "
            + $"loop may hold at most {SupportLoops.MaxLoopSize}";
}

/// <summary>
/// Checks the shape of the support network before an agreement is agreed, so no month is left that cannot be
/// apportioned: a loop of services that support each other (a strongly connected group) must pass cost out of the
/// group somewhere (to a council or to a service outside it), and may hold at most <see cref="MaxLoopSize"/> services,
/// which bounds the exact reciprocal solve (see docs/benchmarks.md for its time at the cap).
/// </summary>
public static class SupportLoops
{
    public const int MaxLoopSize = 12;

    /// <summary>The first group that cannot run (ordinal order of its first member), or null.</summary>
    public static SupportLoopProblem? FirstProblem(IReadOnlyDictionary<string, SupportLinks> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (var group in Groups(network))
        {
            if (group.Count > MaxLoopSize)
            {
                return new SupportLoopProblem(group, Closed: false);
            }

            var inside = group.ToHashSet(StringComparer.Ordinal);
            var wayOut = group.Any(
                s => network[s].ChargesCouncils || network[s].Services.Any(t => !inside.Contains(t)));
            if (!wayOut)
            {
                return new SupportLoopProblem(group, Closed: true);
            }
        }

        return null;
    }

    /// <summary>
    /// Strongly connected groups of more than one service (Tarjan), each in ordinal order, groups by first member.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Groups(IReadOnlyDictionary<string, SupportLinks> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var number = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<IReadOnlyList<string>>();
        foreach (var service in network.Keys.Order(StringComparer.Ordinal))
        {
            if (!number.ContainsKey(service))
            {
                Visit(service);
            }
        }

        return [.. groups.OrderBy(g => g[0], StringComparer.Ordinal)];

        // Iterative, so a long chain of support services cannot exhaust the stack.
        void Visit(string root)
        {
            var work = new Stack<(string Node, int Next)>();
            Open(root);
            work.Push((root, 0));
            while (work.TryPop(out var frame))
            {
                var targets = network[frame.Node].Services;
                if (frame.Next < targets.Count)
                {
                    work.Push((frame.Node, frame.Next + 1));
                    var w = targets[frame.Next];
                    if (!network.ContainsKey(w))
                    {
                        continue;
                    }

                    if (!number.TryGetValue(w, out var seen))
                    {
                        Open(w);
                        work.Push((w, 0));
                    }
                    else if (onStack.Contains(w))
                    {
                        low[frame.Node] = Math.Min(low[frame.Node], seen);
                    }

                    continue;
                }

                if (work.TryPeek(out var parent))
                {
                    low[parent.Node] = Math.Min(low[parent.Node], low[frame.Node]);
                }

                if (low[frame.Node] == number[frame.Node])
                {
                    var group = new List<string>();
                    string x;
                    do
                    {
                        x = stack.Pop();
                        onStack.Remove(x);
                        group.Add(x);
                    }
                    while (x != frame.Node);
                    if (group.Count > 1)
                    {
                        group.Sort(StringComparer.Ordinal);
                        groups.Add(group);
                    }
                }
            }
        }

        void Open(string v)
        {
            number[v] = low[v] = number.Count;
            stack.Push(v);
            onStack.Add(v);
        }
    }
}
