// The area a person draws on the city map: each click on the overlay is a corner, given to .NET in the map's own
// coordinates (Web Mercator metres, the SVG's y pointing down). init returns a handle whose dispose removes the listener.
export function init(svg, dotnet) {
  const click = (e) => {
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
    dotnet.invokeMethodAsync('AddCorner', p.x, p.y).catch(() => { /* the circuit is gone */ });
  };
  svg.addEventListener('click', click);
  return { dispose: () => svg.removeEventListener('click', click) };
}
