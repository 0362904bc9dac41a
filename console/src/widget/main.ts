// Entry of the chat widget: mounts it into its own element at the end of the host page, so it
// needs nothing from the page but this script.
import { createApp } from 'vue';
import { i18n } from '../i18n/i18n';
import ChatWidget from './ChatWidget.vue';

const host = document.createElement('div');
host.id = 'seamless-widget';
document.body.appendChild(host);
createApp(ChatWidget).use(i18n).mount(host);
