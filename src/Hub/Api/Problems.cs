namespace ProductHub.Hub.Api;

/// <summary>
/// RFC 7807 answers with a stable <c>type</c> per failure kind, so clients branch on the type, not on the text.
/// Invalid fields are listed in <c>errors</c>, keyed by JSON path (or by query parameter name).
/// </summary>
public static class Problems
{
    private const string Base = "https://producthub.dev/problems/";

    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) => Results.ValidationProblem(
        errors.ToDictionary(), statusCode: StatusCodes.Status400BadRequest, type: Base + "invalid-request",
        title: "The request is invalid", detail: "See errors for each field that must be fixed.");

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Unprocessable(string title, IReadOnlyDictionary<string, string[]> errors) => Results.ValidationProblem(
        errors.ToDictionary(), statusCode: StatusCodes.Status422UnprocessableEntity, type: Base + "rejected",
        title: title, detail: "Nothing was stored. See errors for the reason at each field.");

    public static IResult NotFound(string detail) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound, type: Base + "not-found", title: "Not found", detail: detail);

    public static IResult Unauthenticated(string detail) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized, type: Base + "unauthenticated", title: "Authentication required", detail: detail);

    public static IResult Forbidden(string detail) => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden, type: Base + "forbidden", title: "Forbidden", detail: detail);

    public static IResult TooLarge(string detail) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, type: Base + "request-too-large", title: "The request body is too large",
        detail: detail);

    public static IResult Conflict(string detail) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict, type: Base + "conflict", title: "Conflict", detail: detail);
}
