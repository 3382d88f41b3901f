namespace Apportionment.Domain;

/// <summary>
/// Collects field errors, keyed by the JSON path of the field, for one 400 problem: several messages per field, fields
/// in the order they were first reported. The one collector for domain rules and the API's validators alike.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void AddRange(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var m in messages)
            {
                Add(field, m);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary()
        => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
