namespace Apportionment.Domain;

/// <summary>
/// Works out the payments that leave every council bearing exactly its apportioned share, given what each
/// actually paid (e.g. each council paying its own surveyors' salaries).
/// </summary>
public static class Settlement
{
    /// <summary>
    /// Councils missing from either dictionary count as 0. The shares and payments must total the same,
    /// otherwise the books do not balance and an <see cref="ArgumentException"/> is thrown.
    /// Transfers are listed in a deterministic order.
    /// </summary>
    public static IReadOnlyList<Transfer> Settle(
        SettlementModel model,
        string hostCouncil,
        IReadOnlyDictionary<string, decimal> shares,
        IReadOnlyDictionary<string, decimal> paid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostCouncil);
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(paid);

        var balances = Balances(shares, paid);
        return model switch
        {
            SettlementModel.Host => SettleWithHost(hostCouncil, balances),
            SettlementModel.Netting => Net(balances),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown settlement model."),
        };
    }

    /// <summary>Balance = share − paid: positive means the council still owes, negative means it is owed.</summary>
    private static SortedDictionary<string, decimal> Balances(
        IReadOnlyDictionary<string, decimal> shares,
        IReadOnlyDictionary<string, decimal> paid)
    {
        var balances = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        var totalShares = 0m;
        var totalPaid = 0m;
        foreach (var (council, amount) in shares)
        {
            RequirePennies(amount, nameof(shares), council);
            balances[council] = balances.GetValueOrDefault(council) + amount;
            totalShares += amount;
        }

        foreach (var (council, amount) in paid)
        {
            RequirePennies(amount, nameof(paid), council);
            balances[council] = balances.GetValueOrDefault(council) - amount;
            totalPaid += amount;
        }

        if (totalShares != totalPaid)
        {
            throw new ArgumentException(
                $"Shares total {totalShares} but payments total {totalPaid}; settlement needs them to be equal.",
                nameof(paid));
        }

        return balances;
    }

    private static List<Transfer> SettleWithHost(string host, SortedDictionary<string, decimal> balances)
    {
        var transfers = new List<Transfer>();
        foreach (var (council, balance) in balances)
        {
            if (string.Equals(council, host, StringComparison.Ordinal) || balance == 0m)
            {
                continue;
            }

            // The host's own balance is the mirror of everyone else's, so it never needs a transfer of its own.
            transfers.Add(balance > 0m
                ? new Transfer(council, host, Money.Normalise(balance))
                : new Transfer(host, council, Money.Normalise(-balance)));
        }

        return transfers;
    }

    /// <summary>
    /// Greedy netting: the largest debtor pays the largest creditor as much as it can, repeated until
    /// everyone is square. Each step clears at least one council, so there are at most n − 1 transfers.
    /// </summary>
    private static List<Transfer> Net(SortedDictionary<string, decimal> balances)
    {
        // Sorted dictionaries iterate in ordinal order, so "first largest" breaks ties by council code.
        var debtors = balances.Where(b => b.Value > 0m).Select(b => new Party(b.Key, b.Value)).ToList();
        var creditors = balances.Where(b => b.Value < 0m).Select(b => new Party(b.Key, -b.Value)).ToList();
        var transfers = new List<Transfer>();
        while (debtors.Count > 0 && creditors.Count > 0)
        {
            var debtor = Largest(debtors);
            var creditor = Largest(creditors);
            var amount = Math.Min(debtors[debtor].Amount, creditors[creditor].Amount);
            transfers.Add(new Transfer(debtors[debtor].Council, creditors[creditor].Council, Money.Normalise(amount)));
            Reduce(debtors, debtor, amount);
            Reduce(creditors, creditor, amount);
        }

        return transfers;
    }

    private static int Largest(List<Party> parties)
    {
        var best = 0;
        for (var i = 1; i < parties.Count; i++)
        {
            if (parties[i].Amount > parties[best].Amount)
            {
                best = i;
            }
        }

        return best;
    }

    private static void Reduce(List<Party> parties, int index, decimal amount)
    {
        var remaining = parties[index].Amount - amount;
        if (remaining == 0m)
        {
            // RemoveAt keeps the rest in ordinal order for the next tie-break.
            parties.RemoveAt(index);
        }
        else
        {
            parties[index] = parties[index] with { Amount = remaining };
        }
    }

    private static void RequirePennies(decimal amount, string parameter, string council)
    {
        if (!Money.HasAtMostTwoPlaces(amount))
        {
            throw new ArgumentException($"Amount {amount} for {council} has more than two decimal places.", parameter);
        }
    }

    private readonly record struct Party(string Council, decimal Amount);
}
