using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Api;

/// <summary>
/// Route values and query parameters obey the text rule of bodies (<see cref="IntakeLimits.TextProblem"/>): they end
/// up in stream keys, queries and events, where PostgreSQL refuses U+0000 and the XML a receiver gets could not carry
/// the others. Checked once for every endpoint, after authorization, so an anonymous caller still learns nothing.
/// </summary>
public static class RouteText
{
    public static WebApplication UseRouteTextCheck(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var values = context.Request.RouteValues.Select(v => (Name: v.Key, Text: v.Value as string))
                .Concat(context.Request.Query.SelectMany(q => q.Value.Select(v => (Name: q.Key, Text: v))
                    .Prepend((Name: "query parameter name", Text: q.Key))));
            foreach (var (name, text) in values)
            {
                if (IntakeLimits.TextProblem(text) is { } problem)
                    return Problems.Invalid(IntakeLimits.Escaped(name), problem).ExecuteAsync(context);
            }
            return next(context);
        });
        return app;
    }
}
