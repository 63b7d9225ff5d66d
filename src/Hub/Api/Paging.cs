using Marten.Pagination;

namespace ProductHub.Hub.Api;

/// <summary>
/// One page of a list, the shape every list endpoint answers: the items, where they stand in the whole list, and
/// the link to the next page (null on the last one), which keeps the caller's filters.
/// </summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total, string? Next);

/// <summary>
/// <c>?page=</c> (from 1) and <c>?pageSize=</c> (1 to 500, default 100) of a list endpoint. Page numbers rather
/// than cursors: the lists are read models ordered by fields that change (last seen, requested at), which no
/// stable cursor can follow, and a monitor wants "page 3 of 7".
/// </summary>
public readonly record struct Paging(int Number, int Size)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 500;

    public static bool TryRead(string? page, string? pageSize, out Paging paging, out IResult? problem)
    {
        paging = default;
        if (!QueryParameters.TryWhole(page, nameof(page), 1, 1, int.MaxValue / MaxSize, out var number, out problem) ||
            !QueryParameters.TryWhole(pageSize, nameof(pageSize), DefaultSize, 1, MaxSize, out var size, out problem))
        {
            return false;
        }
        paging = new Paging((int)number, (int)size);
        return true;
    }

    /// <summary>A page of a list already in memory, in its order.</summary>
    public IResult Answer<T>(HttpRequest request, IReadOnlyCollection<T> all) =>
        Answer(request, all.Skip((Number - 1) * Size).Take(Size).ToList(), all.Count);

    /// <summary>A page of a Marten query (one round trip counts and reads), in the query's order.</summary>
    public async Task<IResult> AnswerAsync<T>(HttpRequest request, IQueryable<T> query, CancellationToken ct) =>
        await AnswerAsync(request, query, item => item, ct);

    public async Task<IResult> AnswerAsync<T, TOut>(HttpRequest request, IQueryable<T> query, Func<T, TOut> shape, CancellationToken ct)
    {
        var page = await query.ToPagedListAsync(Number, Size, ct);
        return Answer(request, page.Select(shape).ToList(), page.TotalItemCount);
    }

    private IResult Answer<T>(HttpRequest request, IReadOnlyList<T> items, long total) =>
        Results.Ok(new ListPage<T>(items, Number, Size, total, (long)Number * Size < total ? NextLink(request) : null));

    private string NextLink(HttpRequest request)
    {
        var query = request.Query
            .Where(p => p.Key is not ("page" or "pageSize"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new("page", (Number + 1).ToString()))
            .Append(new("pageSize", Size.ToString()));
        return request.PathBase + request.Path + QueryString.Create(query);
    }
}
