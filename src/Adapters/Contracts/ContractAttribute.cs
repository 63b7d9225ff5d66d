namespace ProductHub.Adapters.Contracts;

/// <summary>
/// The JSON Schema (path below <c>schemas/</c>) a request body type is validated against before it is bound.
/// Declared on the type so that the type and its schema are checked against each other in one place.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ContractAttribute(string schema) : Attribute
{
    public string Schema { get; } = schema;
}
