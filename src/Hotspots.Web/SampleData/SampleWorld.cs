using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Hotspots.SampleData;

/// <summary>The real geography the generator places sample records in: wards, project lines, flood points.</summary>
public sealed class SampleWorld
{
    public sealed record Ward(string Code, string FullName, string Kind, Geometry Geometry, double AreaKm2)
    {
        internal IndexedPointInAreaLocator Locator { get; } = new(Geometry);
        /// <summary>0 far out, 1 at Hoàn Kiếm Lake: records crowd into the inner wards.</summary>
        public double Innerness { get; } = Math.Exp(-Distance(Geometry.Centroid.Coordinate, HoanKiem) / 0.055);
    }

    public sealed record Line(string ProjectId, string Kind, Geometry Geometry);

    public static readonly Coordinate HoanKiem = new(105.8524, 21.0288);

    public IReadOnlyList<Ward> Wards { get; }
    public IReadOnlyList<Line> Lines { get; }
    public IReadOnlyList<Coordinate> FloodPoints { get; }
    private readonly STRtree<Ward> _index = new();

    public SampleWorld(IEnumerable<Ward> wards, IEnumerable<Line> lines, IEnumerable<Coordinate> floodPoints)
    {
        Wards = wards.OrderBy(w => w.Code, StringComparer.Ordinal).ToList();
        Lines = lines.OrderBy(l => l.ProjectId, StringComparer.Ordinal).ToList();
        FloodPoints = floodPoints.ToList();
        foreach (var w in Wards)
        {
            _index.Insert(w.Geometry.EnvelopeInternal, w);
        }
        _index.Build();
    }

    public Ward? WardAt(Coordinate c)
    {
        foreach (var w in _index.Query(new Envelope(c)))
        {
            if (w.Locator.Locate(c) != Location.Exterior)
            {
                return w;
            }
        }
        return null;
    }

    internal static double Distance(Coordinate a, Coordinate b) => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
}
