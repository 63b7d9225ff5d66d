namespace ProductHub.Hub.Api;

/// <summary>
/// The problem answers (<see cref="Problems"/>) an endpoint gives besides those every endpoint can give: 400 for a
/// bad route value, query parameter or body, 401 and 403 from its policy, 409 for a write that lost a race. Listed in
/// the OpenAPI document.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ProblemAnswersAttribute(params int[] statusCodes) : Attribute
{
    public IReadOnlyList<int> StatusCodes { get; } = statusCodes;
}
