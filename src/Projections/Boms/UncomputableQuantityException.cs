namespace ProductHub.Projections.Boms;

/// <summary>
/// A quantity of a structure the hub cannot compute (<see cref="Domain.Quantities.Computed"/>): where, as a field of the
/// answer or the publication (<c>lines[path=PUMP/HOUSING].extendedQuantity</c>, <c>bom[findNumber=20].quantity</c>), and why.
/// </summary>
public sealed class UncomputableQuantityException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;

    public IReadOnlyDictionary<string, string[]> Errors => new Dictionary<string, string[]> { [Field] = [Message] };
}
