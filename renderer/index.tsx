// Renderer entry point (being written: see issue 6).
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<h1>Porthole</h1>);
