using Microsoft.AspNetCore.Http.Features;

namespace ProductHub.Hub.Api;

/// <summary>
/// One limit on request bodies for every endpoint (<c>ProductHub:MaxRequestBodyBytes</c>), answered by a 413 problem.
/// A declared length over the limit is refused before anything is read; a chunked body is cut off by the server
/// when it passes the limit, which surfaces as a <see cref="BadHttpRequestException"/> with status 413.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>Large enough for a release package of several thousand parts or a plant's reference data file.</summary>
    public const long DefaultBytes = 16 * 1024 * 1024;

    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var limit = app.Configuration.GetValue("ProductHub:MaxRequestBodyBytes", DefaultBytes);
        app.Use((context, next) =>
        {
            if (context.Request.ContentLength > limit) return TooLarge(limit).ExecuteAsync(context);
            // Kestrel enforces it while the body streams in; an in-memory test server has no such feature.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            return next(context);
        });
        return app;
    }

    public static IResult TooLarge(long limit) => Problems.TooLarge($"A request body may hold at most {limit} bytes.");
}
