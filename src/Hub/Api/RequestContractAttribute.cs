using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Api;

/// <summary>
/// The body an endpoint takes, for the OpenAPI document: its schema there is the <see cref="ContractAttribute"/> schema
/// the body is validated against. <see cref="ContractBodies"/> adds it for a typed body; an endpoint that reads its
/// body itself (it takes CSV too) declares it. Not ASP.NET's <c>IAcceptsMetadata</c>: that would let routing answer
/// 415 before the endpoint could name the bad field.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RequestContractAttribute(Type body) : Attribute
{
    public Type Body { get; } = body;

    /// <summary>Whether a request may come without a body (<see cref="JsonBody.IsAbsent"/>).</summary>
    public bool Optional { get; init; }

    /// <summary>Media types taken besides <c>application/json</c>, each as plain text (CSV).</summary>
    public string[] TextMediaTypes { get; init; } = [];
}
