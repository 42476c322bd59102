/**
 * /docs: swagger-ui (served from the package, not a CDN) draws the server's /openapi.json.
 * Two changes to its stock page keep it accessible: a layout without swagger-ui's own <main>
 * (the page already has one, and holds the info block too), and tag/section headings announced
 * one level below the page title (swagger-ui writes them as h3/h4 under an h1).
 */
type CreateElement = (type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]) => unknown;
interface System {
  React: { createElement: CreateElement };
}
interface LayoutProps {
  getComponent(name: string, container?: boolean): unknown;
}
declare const SwaggerUIBundle: (opts: Record<string, unknown>) => unknown;

function docsLayout(system: System) {
  return {
    components: {
      DocsLayout: (props: LayoutProps) => {
        const h = system.React.createElement;
        return h(
          'div',
          { className: 'swagger-ui' },
          h(props.getComponent('errors', true)),
          h(props.getComponent('InfoContainer', true)),
          h('div', { className: 'wrapper' }, h(props.getComponent('operations', true))),
          h(props.getComponent('Models', true)),
        );
      },
    },
  };
}

/** swagger-ui redraws parts of the page as it goes: the heading levels are set again after each change. */
function levelHeadings(root: HTMLElement): void {
  const apply = () => {
    for (const el of root.querySelectorAll<HTMLElement>('h3.opblock-tag, section.models > h4')) {
      if (el.getAttribute('aria-level') !== '2') {
        el.setAttribute('role', 'heading');
        el.setAttribute('aria-level', '2');
      }
    }
  };
  new MutationObserver(apply).observe(root, { childList: true, subtree: true });
  apply();
}

const root = document.getElementById('swagger-ui')!;
levelHeadings(root);
SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  plugins: [docsLayout],
  layout: 'DocsLayout',
  // deep links put a link inside each operation's expand button (a control inside a control)
  deepLinking: false,
  // The page is documentation: no "Try it out" requests unless the user asks for them.
  tryItOutEnabled: false,
  onComplete: () => {
    document.body.dataset.ready = 'true';
  },
});
