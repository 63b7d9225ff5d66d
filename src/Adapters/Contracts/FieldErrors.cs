namespace ProductHub.Adapters.Contracts;

/// <summary>Messages collected per field (a JSON path or a parameter name), in the shape problem details report them.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        if (!messages.Contains(message)) messages.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
