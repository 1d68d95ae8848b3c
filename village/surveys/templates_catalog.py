"""The four survey templates: their questions, each written in the languages our districts'
families read most (a language without a version falls back to the survey's own language).

A template is copied into a new survey (`services.survey_create`); staff may change the copy.
Scale questions run from 1 (not at all) to 5 (very much).
"""

from village.surveys.models import Question, Survey

K = Question.Kind

# template -> (title per language, intro per language, [(kind, text per language, choices)])
TEMPLATES: dict[str, tuple[dict, dict, list[tuple[str, dict, list[dict]]]]] = {
    Survey.Template.CLIMATE: (
        {
            "en": "Family climate survey",
            "es": "Encuesta de clima para familias",
            "pt": "Pesquisa de clima para famílias",
            "ht": "Sondaj sou klima pou fanmi yo",
            "ar": "استبيان مناخ الأسرة",
            "vi": "Khảo sát môi trường dành cho gia đình",
            "zh-hans": "家庭氛围调查",
        },
        {
            "en": "Tell us how welcome you feel at your child's school. It takes three minutes.",
            "es": "Cuéntenos qué tan bienvenido se siente en la escuela de su hijo. Toma tres minutos.",
            "pt": "Conte-nos como você se sente acolhido na escola do seu filho. Leva três minutos.",
            "ht": "Di nou kijan ou santi w byenvini nan lekòl pitit ou a. Sa pran twa minit.",
            "ar": "أخبرنا إلى أي مدى تشعر بالترحيب في مدرسة طفلك. يستغرق ذلك ثلاث دقائق.",
            "vi": "Hãy cho chúng tôi biết quý vị cảm thấy được chào đón thế nào ở trường của con. Chỉ mất ba phút.",
            "zh-hans": "请告诉我们您在孩子学校感受到的欢迎程度。只需三分钟。",
        },
        [
            (
                K.SCALE,
                {
                    "en": "I feel welcome at my child's school.",
                    "es": "Me siento bienvenido en la escuela de mi hijo.",
                    "pt": "Sinto-me bem-vindo na escola do meu filho.",
                    "ht": "Mwen santi m byenvini nan lekòl pitit mwen an.",
                    "ar": "أشعر بالترحيب في مدرسة طفلي.",
                    "vi": "Tôi cảm thấy được chào đón ở trường của con tôi.",
                    "zh-hans": "我在孩子的学校感到受欢迎。",
                },
                [],
            ),
            (
                K.SINGLE,
                {
                    "en": "Do you get school information in a language you read?",
                    "es": "¿Recibe la información de la escuela en un idioma que lee?",
                    "pt": "Você recebe as informações da escola em um idioma que lê?",
                    "ht": "Èske ou resevwa enfòmasyon lekòl la nan yon lang ou li?",
                    "ar": "هل تصلك معلومات المدرسة بلغة تقرؤها؟",
                    "vi": "Quý vị có nhận thông tin của trường bằng ngôn ngữ quý vị đọc được không?",
                    "zh-hans": "您收到的学校信息是用您能阅读的语言写的吗？",
                },
                [
                    {
                        "en": "Always",
                        "es": "Siempre",
                        "pt": "Sempre",
                        "ht": "Toujou",
                        "ar": "دائمًا",
                        "vi": "Luôn luôn",
                        "zh-hans": "总是",
                    },
                    {
                        "en": "Sometimes",
                        "es": "A veces",
                        "pt": "Às vezes",
                        "ht": "Pafwa",
                        "ar": "أحيانًا",
                        "vi": "Thỉnh thoảng",
                        "zh-hans": "有时",
                    },
                    {
                        "en": "Never",
                        "es": "Nunca",
                        "pt": "Nunca",
                        "ht": "Janm",
                        "ar": "أبدًا",
                        "vi": "Không bao giờ",
                        "zh-hans": "从不",
                    },
                ],
            ),
            (
                K.MULTIPLE,
                {
                    "en": "How would you like to hear from the school?",
                    "es": "¿Cómo le gustaría recibir noticias de la escuela?",
                    "pt": "Como você gostaria de receber notícias da escola?",
                    "ht": "Kijan ou ta renmen lekòl la kontakte w?",
                    "ar": "كيف تفضّل أن تتواصل معك المدرسة؟",
                    "vi": "Quý vị muốn nhận tin từ trường bằng cách nào?",
                    "zh-hans": "您希望学校如何与您联系？",
                },
                [
                    {
                        "en": "Text message",
                        "es": "Mensaje de texto",
                        "pt": "Mensagem de texto",
                        "ht": "Mesaj tèks",
                        "ar": "رسالة نصية",
                        "vi": "Tin nhắn",
                        "zh-hans": "短信",
                    },
                    {
                        "en": "Email",
                        "es": "Correo electrónico",
                        "pt": "E-mail",
                        "ht": "Imèl",
                        "ar": "البريد الإلكتروني",
                        "vi": "Email",
                        "zh-hans": "电子邮件",
                    },
                    {
                        "en": "Phone call",
                        "es": "Llamada",
                        "pt": "Telefonema",
                        "ht": "Apèl telefòn",
                        "ar": "مكالمة هاتفية",
                        "vi": "Gọi điện",
                        "zh-hans": "电话",
                    },
                ],
            ),
            (
                K.LONG,
                {
                    "en": "What is one thing the school could do better for your family?",
                    "es": "¿Qué es algo que la escuela podría hacer mejor para su familia?",
                    "pt": "O que a escola poderia fazer melhor para a sua família?",
                    "ht": "Ki yon bagay lekòl la ta ka fè pi byen pou fanmi w?",
                    "ar": "ما الشيء الذي يمكن للمدرسة أن تحسّنه لأسرتك؟",
                    "vi": "Trường có thể làm tốt hơn điều gì cho gia đình quý vị?",
                    "zh-hans": "学校可以为您的家庭做得更好的一件事是什么？",
                },
                [],
            ),
        ],
    ),
    Survey.Template.EVENT_EVALUATION: (
        {
            "en": "How was the event?",
            "es": "¿Qué tal estuvo el evento?",
            "pt": "Como foi o evento?",
            "ht": "Kijan evènman an te ye?",
            "ar": "كيف كانت الفعالية؟",
            "vi": "Sự kiện thế nào?",
            "zh-hans": "活动怎么样？",
        },
        {
            "en": "Thank you for coming. Three questions help us plan the next one.",
            "es": "Gracias por venir. Tres preguntas nos ayudan a planear el próximo.",
            "pt": "Obrigado por ter vindo. Três perguntas nos ajudam a planejar o próximo.",
            "ht": "Mèsi paske ou te vini. Twa kesyon ap ede nou planifye pwochen an.",
            "ar": "شكرًا لحضورك. ثلاثة أسئلة تساعدنا على التخطيط للفعالية القادمة.",
            "vi": "Cảm ơn quý vị đã đến. Ba câu hỏi giúp chúng tôi chuẩn bị cho lần sau.",
            "zh-hans": "感谢您的参与。三个问题帮助我们筹划下一次活动。",
        },
        [
            (
                K.SCALE,
                {
                    "en": "How useful was the event for you?",
                    "es": "¿Qué tan útil fue el evento para usted?",
                    "pt": "Quão útil foi o evento para você?",
                    "ht": "Konbyen evènman an te itil pou ou?",
                    "ar": "ما مدى فائدة الفعالية لك؟",
                    "vi": "Sự kiện hữu ích với quý vị đến mức nào?",
                    "zh-hans": "这次活动对您有多大帮助？",
                },
                [],
            ),
            (
                K.SINGLE,
                {
                    "en": "Would you come again?",
                    "es": "¿Vendría otra vez?",
                    "pt": "Você viria de novo?",
                    "ht": "Èske w ta vini ankò?",
                    "ar": "هل ستحضر مرة أخرى؟",
                    "vi": "Quý vị có đến lần nữa không?",
                    "zh-hans": "您还会再来吗？",
                },
                [
                    {
                        "en": "Yes",
                        "es": "Sí",
                        "pt": "Sim",
                        "ht": "Wi",
                        "ar": "نعم",
                        "vi": "Có",
                        "zh-hans": "是",
                    },
                    {
                        "en": "No",
                        "es": "No",
                        "pt": "Não",
                        "ht": "Non",
                        "ar": "لا",
                        "vi": "Không",
                        "zh-hans": "不",
                    },
                ],
            ),
            (
                K.SHORT,
                {
                    "en": "What should we change next time?",
                    "es": "¿Qué deberíamos cambiar la próxima vez?",
                    "pt": "O que devemos mudar da próxima vez?",
                    "ht": "Kisa nou ta dwe chanje pwochen fwa?",
                    "ar": "ما الذي يجب أن نغيّره في المرة القادمة؟",
                    "vi": "Lần sau chúng tôi nên thay đổi điều gì?",
                    "zh-hans": "下次我们应该改进什么？",
                },
                [],
            ),
        ],
    ),
    Survey.Template.IMPROVEMENT_PLAN: (
        {
            "en": "Your input on the school improvement plan",
            "es": "Su opinión sobre el plan de mejora escolar",
        },
        {
            "en": "The school is writing next year's improvement plan. Tell us what matters to your family.",
            "es": "La escuela está escribiendo el plan de mejora del próximo año. Díganos qué es importante para su familia.",
        },
        [
            (
                K.MULTIPLE,
                {"en": "Which goals matter most to you?", "es": "¿Qué metas le importan más?"},
                [
                    {"en": "Reading and writing", "es": "Lectura y escritura"},
                    {"en": "Mathematics", "es": "Matemáticas"},
                    {"en": "Attendance", "es": "Asistencia"},
                    {"en": "Safety and belonging", "es": "Seguridad y pertenencia"},
                ],
            ),
            (
                K.SCALE,
                {
                    "en": "The draft plan is clear to me.",
                    "es": "El borrador del plan es claro para mí.",
                },
                [],
            ),
            (
                K.LONG,
                {
                    "en": "Your comments on the draft plan",
                    "es": "Sus comentarios sobre el borrador del plan",
                },
                [],
            ),
        ],
    ),
    Survey.Template.ENGAGEMENT_POLICY: (
        {
            "en": "Evaluation of the family engagement policy",
            "es": "Evaluación de la política de participación familiar",
        },
        {
            "en": "Each year families and staff review the family engagement policy together.",
            "es": "Cada año las familias y el personal revisan juntos la política de participación familiar.",
        },
        [
            (
                K.SCALE,
                {
                    "en": "The school did what the policy promises.",
                    "es": "La escuela cumplió lo que promete la política.",
                },
                [],
            ),
            (
                K.SINGLE,
                {
                    "en": "Were you able to take part in school decisions this year?",
                    "es": "¿Pudo participar en las decisiones de la escuela este año?",
                },
                [{"en": "Yes", "es": "Sí"}, {"en": "No", "es": "No"}],
            ),
            (
                K.LONG,
                {
                    "en": "What should change in the policy?",
                    "es": "¿Qué debería cambiar en la política?",
                },
                [],
            ),
        ],
    ),
    Survey.Template.CUSTOM: ({"en": "Survey"}, {}, []),
}
