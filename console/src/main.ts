// Entry of the agent console (index.html).
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n/i18n';
import { router } from './router';
import './styles/base.css';
// The theme (light or dark) is set on <html> before the first screen is drawn.
import './theme/apply-theme';

createApp(App).use(i18n).use(router).mount('#app');
