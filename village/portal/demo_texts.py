"""Texts of the demo portal pages, written in every interface language. `{name}` is the
organisation's name. Used by `demo.py` only."""

# slug -> language -> (title, Markdown body)
PAGES: dict[str, dict[str, tuple[str, str]]] = {
    "mission": {
        "en": (
            "Our mission",
            "{name} works **with** families, not only for them. We believe every family wants the best for its children and has knowledge that schools need.\n\n* We listen to families in their own language.\n* We share what we know about how children learn.\n* We make decisions about schools together with families.",
        ),
        "es": (
            "Nuestra misión",
            "{name} trabaja **con** las familias, no solo para ellas. Creemos que toda familia quiere lo mejor para sus hijos y tiene conocimientos que las escuelas necesitan.\n\n* Escuchamos a las familias en su propio idioma.\n* Compartimos lo que sabemos sobre cómo aprenden los niños.\n* Tomamos decisiones sobre las escuelas junto con las familias.",
        ),
        "pt": (
            "Nossa missão",
            "{name} trabalha **com** as famílias, e não apenas para elas. Acreditamos que toda família quer o melhor para seus filhos e tem conhecimentos de que as escolas precisam.\n\n* Ouvimos as famílias no idioma delas.\n* Compartilhamos o que sabemos sobre como as crianças aprendem.\n* Tomamos decisões sobre as escolas junto com as famílias.",
        ),
        "ht": (
            "Misyon nou",
            "{name} travay **avèk** fanmi yo, pa sèlman pou yo. Nou kwè chak fanmi vle sa ki pi bon pou pitit li, e li gen konesans lekòl yo bezwen.\n\n* Nou koute fanmi yo nan pwòp lang yo.\n* Nou pataje sa nou konnen sou jan timoun aprann.\n* Nou pran desizyon sou lekòl yo ansanm ak fanmi yo.",
        ),
        "kea": (
            "Nos misãu",
            "{name} ta trabadja **ku** famílias, ka só pa es. Nu ta kridita ma tudu família kre midjor pa se fidjus, i e ten kunhisimentu ki skolas mesti.\n\n* Nu ta obi famílias na ses lingua.\n* Nu ta partilha kuzé ki nu sabi sobri modi ki mininus ta prende.\n* Nu ta toma disizons sobri skolas djuntu ku famílias.",
        ),
        "zh-hans": (
            "我们的使命",
            "{name} **与**家庭一起工作，而不仅仅是为家庭服务。我们相信每个家庭都希望孩子得到最好的，并且拥有学校所需要的知识。\n\n* 我们用家庭自己的语言倾听他们。\n* 我们分享关于孩子如何学习的知识。\n* 我们与家庭共同做出有关学校的决定。",
        ),
        "vi": (
            "Sứ mệnh của chúng tôi",
            "{name} làm việc **cùng** các gia đình, không chỉ vì họ. Chúng tôi tin rằng mọi gia đình đều muốn điều tốt nhất cho con mình và có những hiểu biết mà nhà trường cần.\n\n* Chúng tôi lắng nghe gia đình bằng chính ngôn ngữ của họ.\n* Chúng tôi chia sẻ những gì biết về cách trẻ học.\n* Chúng tôi cùng gia đình đưa ra quyết định về trường học.",
        ),
        "ar": (
            "رسالتنا",
            "يعمل {name} **مع** العائلات، لا من أجلها فقط. نؤمن بأن كل عائلة تريد الأفضل لأطفالها وتملك معرفة تحتاجها المدارس.\n\n* نستمع إلى العائلات بلغتها.\n* نشارك ما نعرفه عن طريقة تعلّم الأطفال.\n* نتخذ القرارات المتعلقة بالمدارس مع العائلات.",
        ),
        "am": (
            "ተልዕኳችን",
            "{name} ለቤተሰቦች ብቻ ሳይሆን **ከ**ቤተሰቦች ጋር ይሠራል። እያንዳንዱ ቤተሰብ ለልጆቹ ምርጡን እንደሚፈልግ እና ትምህርት ቤቶች የሚያስፈልጋቸው እውቀት እንዳለው እናምናለን።\n\n* ቤተሰቦችን በራሳቸው ቋንቋ እናዳምጣለን።\n* ልጆች እንዴት እንደሚማሩ የምናውቀውን እናካፍላለን።\n* ስለ ትምህርት ቤቶች ከቤተሰቦች ጋር አብረን እንወስናለን።",
        ),
        "bn": (
            "আমাদের লক্ষ্য",
            "{name} শুধু পরিবারের জন্য নয়, পরিবারের **সাথে** কাজ করে। আমরা বিশ্বাস করি প্রতিটি পরিবার তার সন্তানের জন্য সেরাটা চায় এবং তাদের এমন জ্ঞান আছে যা স্কুলের প্রয়োজন।\n\n* আমরা পরিবারের নিজের ভাষায় তাদের কথা শুনি।\n* শিশুরা কীভাবে শেখে সে সম্পর্কে আমরা যা জানি তা ভাগ করি।\n* স্কুল নিয়ে সিদ্ধান্ত আমরা পরিবারের সাথে মিলে নিই।",
        ),
        "so": (
            "Hadafkayaga",
            "{name} wuxuu la shaqeeyaa qoysaska, ma aha oo keliya iyaga **dartood**. Waxaan rumeysan nahay in qoys kastaa u rabo carruurtiisa waxa ugu wanaagsan, uuna leeyahay aqoon ay dugsiyadu u baahan yihiin.\n\n* Waxaan qoysaska ku dhegeysannaa luqaddooda.\n* Waxaan la wadaagnaa waxa aan ka ognahay sida carruurtu wax u bartaan.\n* Go'aannada dugsiyada waxaan la gaarnaa qoysaska.",
        ),
    },
    "principles": {
        "en": (
            "What family engagement means",
            "Family engagement is a **shared responsibility**: schools reach out to every family, and families take part in their children's learning.\n\n1. Build trusting relationships.\n2. Support families' well-being.\n3. Open many ways to take part.\n4. Support children's learning, health and growth.\n5. Help staff learn to work with families.",
        ),
        "es": (
            "Qué significa la participación familiar",
            "La participación familiar es una **responsabilidad compartida**: las escuelas se acercan a cada familia y las familias participan en el aprendizaje de sus hijos.\n\n1. Crear relaciones de confianza.\n2. Apoyar el bienestar de las familias.\n3. Abrir muchas formas de participar.\n4. Apoyar el aprendizaje, la salud y el desarrollo de los niños.\n5. Ayudar al personal a trabajar con las familias.",
        ),
        "pt": (
            "O que significa o envolvimento das famílias",
            "O envolvimento das famílias é uma **responsabilidade compartilhada**: as escolas procuram cada família, e as famílias participam da aprendizagem dos filhos.\n\n1. Construir relações de confiança.\n2. Apoiar o bem-estar das famílias.\n3. Abrir muitas formas de participar.\n4. Apoiar a aprendizagem, a saúde e o crescimento das crianças.\n5. Ajudar a equipe a trabalhar com as famílias.",
        ),
        "ht": (
            "Sa angajman fanmi vle di",
            "Angajman fanmi se yon **responsablite nou pataje**: lekòl yo rive jwenn chak fanmi, epi fanmi yo patisipe nan aprantisaj pitit yo.\n\n1. Bati relasyon ki gen konfyans.\n2. Sipòte byennèt fanmi yo.\n3. Louvri anpil fason pou patisipe.\n4. Sipòte aprantisaj, sante ak devlopman timoun yo.\n5. Ede anplwaye yo aprann travay ak fanmi yo.",
        ),
        "kea": (
            "Kuzé ki envolvimentu di família krê fla",
            "Envolvimentu di família é un **responsabilidadi partilhadu**: skolas ta bai atrás di tudu família, i famílias ta partisipa na aprendizajen di ses fidjus.\n\n1. Kria relasons di konfiansa.\n2. Apoia ben-stâ di famílias.\n3. Abri txeu manera di partisipa.\n4. Apoia aprendizajen, saúdi i kresimentu di mininus.\n5. Djuda funsionárius trabadja ku famílias.",
        ),
        "zh-hans": (
            "家庭参与的含义",
            "家庭参与是一项**共同的责任**：学校主动联系每个家庭，家庭参与孩子的学习。\n\n1. 建立相互信任的关系。\n2. 支持家庭的福祉。\n3. 提供多种参与方式。\n4. 支持孩子的学习、健康和成长。\n5. 帮助教职员学习与家庭合作。",
        ),
        "vi": (
            "Sự tham gia của gia đình nghĩa là gì",
            "Sự tham gia của gia đình là **trách nhiệm chung**: nhà trường tìm đến mọi gia đình, và gia đình tham gia vào việc học của con.\n\n1. Xây dựng mối quan hệ tin cậy.\n2. Hỗ trợ an sinh của gia đình.\n3. Mở ra nhiều cách để tham gia.\n4. Hỗ trợ việc học, sức khỏe và sự phát triển của trẻ.\n5. Giúp nhân viên học cách làm việc với gia đình.",
        ),
        "ar": (
            "ماذا تعني مشاركة العائلات",
            "مشاركة العائلات **مسؤولية مشتركة**: تتواصل المدارس مع كل عائلة، وتشارك العائلات في تعلّم أطفالها.\n\n1. بناء علاقات قائمة على الثقة.\n2. دعم رفاه العائلات.\n3. فتح طرق كثيرة للمشاركة.\n4. دعم تعلّم الأطفال وصحتهم ونموهم.\n5. مساعدة الموظفين على تعلّم العمل مع العائلات.",
        ),
        "am": (
            "የቤተሰብ ተሳትፎ ማለት ምን ማለት ነው",
            "የቤተሰብ ተሳትፎ **የጋራ ኃላፊነት** ነው፦ ትምህርት ቤቶች እያንዳንዱን ቤተሰብ ይደርሳሉ፣ ቤተሰቦችም በልጆቻቸው ትምህርት ይሳተፋሉ።\n\n1. የመተማመን ግንኙነቶችን መገንባት።\n2. የቤተሰቦችን ደህንነት መደገፍ።\n3. ለመሳተፍ ብዙ መንገዶችን መክፈት።\n4. የልጆችን ትምህርት፣ ጤና እና እድገት መደገፍ።\n5. ሠራተኞች ከቤተሰቦች ጋር መሥራትን እንዲማሩ መርዳት።",
        ),
        "bn": (
            "পরিবারের অংশগ্রহণ মানে কী",
            "পরিবারের অংশগ্রহণ একটি **যৌথ দায়িত্ব**: স্কুল প্রতিটি পরিবারের কাছে পৌঁছায়, আর পরিবার সন্তানের শেখায় অংশ নেয়।\n\n1. আস্থার সম্পর্ক গড়ে তোলা।\n2. পরিবারের সুস্থতায় সহায়তা করা।\n3. অংশ নেওয়ার অনেক পথ খোলা।\n4. শিশুর শেখা, স্বাস্থ্য ও বিকাশে সহায়তা করা।\n5. কর্মীদের পরিবারের সাথে কাজ করতে শিখতে সাহায্য করা।",
        ),
        "so": (
            "Waxa ay ka dhigan tahay ka-qaybgalka qoysku",
            "Ka-qaybgalka qoysku waa **mas'uuliyad la wadaago**: dugsiyadu waxay gaaraan qoys kasta, qoysaskuna waxay ka qaybqaataan waxbarashada carruurtooda.\n\n1. Dhis xiriir lagu kalsoon yahay.\n2. Taageer fayoqabka qoysaska.\n3. Fur habab badan oo looga qaybqaato.\n4. Taageer waxbarashada, caafimaadka iyo koritaanka carruurta.\n5. Ka caawi shaqaalaha inay bartaan la shaqaynta qoysaska.",
        ),
    },
    "help": {
        "en": (
            "How to get help",
            "Call or write to us in any language: we use interpreters and a telephone language line at no cost to you.\n\n* **Family liaisons** at each school help with enrollment, meetings and services.\n* See the [staff directory](/directory/) to find someone who speaks your language.\n* Ask to join a [family group](/groups/).",
        ),
        "es": (
            "Cómo obtener ayuda",
            "Llámenos o escríbanos en cualquier idioma: usamos intérpretes y una línea telefónica de idiomas sin costo para usted.\n\n* Los **enlaces familiares** de cada escuela ayudan con la inscripción, las reuniones y los servicios.\n* Consulte el [directorio del personal](/directory/) para encontrar a alguien que hable su idioma.\n* Pida unirse a un [grupo de familias](/groups/).",
        ),
        "pt": (
            "Como obter ajuda",
            "Ligue ou escreva para nós em qualquer idioma: usamos intérpretes e uma linha telefônica de idiomas sem custo para você.\n\n* Os **articuladores familiares** de cada escola ajudam com matrícula, reuniões e serviços.\n* Veja o [diretório de funcionários](/directory/) para encontrar alguém que fale seu idioma.\n* Peça para participar de um [grupo de famílias](/groups/).",
        ),
        "ht": (
            "Kijan pou jwenn èd",
            "Rele nou oswa ekri nou nan nenpòt lang: nou sèvi ak entèprèt ak yon liy telefòn pou lang, gratis pou ou.\n\n* **Reprezantan fanmi** nan chak lekòl ede w ak enskripsyon, reyinyon ak sèvis.\n* Gade [anyè anplwaye yo](/directory/) pou jwenn yon moun ki pale lang ou.\n* Mande pou antre nan yon [gwoup fanmi](/groups/).",
        ),
        "kea": (
            "Modi ki bu ta atxa djuda",
            "Telefona-nu ô skrebe-nu na kualker lingua: nu ta uza intérpretis i un linha di telefoni di linguas sen kustu pa bo.\n\n* **Mediadoris di família** na kada skola ta djuda ku matríkula, runions i sirvisus.\n* Odja [diretóriu di funsionárius](/directory/) pa atxa algen ki ta papia bu lingua.\n* Pidi pa entra na un [grupu di famílias](/groups/).",
        ),
        "zh-hans": (
            "如何获得帮助",
            "您可以用任何语言给我们打电话或写信：我们免费提供口译员和电话语言服务。\n\n* 每所学校的**家庭联络员**可以帮助您办理入学、参加会议和获得服务。\n* 查看[员工名录](/directory/)，找到会说您语言的人。\n* 申请加入[家庭小组](/groups/)。",
        ),
        "vi": (
            "Cách nhận trợ giúp",
            "Hãy gọi hoặc viết cho chúng tôi bằng bất kỳ ngôn ngữ nào: chúng tôi có thông dịch viên và đường dây thông dịch qua điện thoại miễn phí cho bạn.\n\n* **Nhân viên liên lạc gia đình** ở mỗi trường giúp về ghi danh, họp và dịch vụ.\n* Xem [danh bạ nhân viên](/directory/) để tìm người nói ngôn ngữ của bạn.\n* Xin tham gia một [nhóm gia đình](/groups/).",
        ),
        "ar": (
            "كيف تحصل على المساعدة",
            "اتصل بنا أو اكتب إلينا بأي لغة: نستعين بمترجمين وبخط هاتفي للترجمة دون أي تكلفة عليك.\n\n* يساعد **منسقو العائلات** في كل مدرسة في التسجيل والاجتماعات والخدمات.\n* راجع [دليل الموظفين](/directory/) لتجد من يتحدث لغتك.\n* اطلب الانضمام إلى [مجموعة عائلات](/groups/).",
        ),
        "am": (
            "እርዳታ እንዴት እንደሚያገኙ",
            "በማንኛውም ቋንቋ ይደውሉልን ወይም ይጻፉልን፦ አስተርጓሚዎችን እና የስልክ የቋንቋ መስመርን ያለ ክፍያ እንጠቀማለን።\n\n* በእያንዳንዱ ትምህርት ቤት ያሉ **የቤተሰብ አገናኞች** በምዝገባ፣ በስብሰባዎች እና በአገልግሎቶች ይረዳሉ።\n* ቋንቋዎን የሚናገር ሰው ለማግኘት [የሠራተኞች ማውጫን](/directory/) ይመልከቱ።\n* [የቤተሰብ ቡድን](/groups/) ለመቀላቀል ይጠይቁ።",
        ),
        "bn": (
            "কীভাবে সাহায্য পাবেন",
            "যেকোনো ভাষায় আমাদের ফোন করুন বা লিখুন: আমরা আপনার কোনো খরচ ছাড়াই দোভাষী ও টেলিফোন ভাষা লাইন ব্যবহার করি।\n\n* প্রতিটি স্কুলের **পরিবার সংযোগকারী** ভর্তি, সভা ও সেবায় সাহায্য করেন।\n* আপনার ভাষায় কথা বলেন এমন কাউকে খুঁজতে [কর্মী তালিকা](/directory/) দেখুন।\n* একটি [পরিবার দলে](/groups/) যোগ দিতে অনুরোধ করুন।",
        ),
        "so": (
            "Sida loo helo caawimo",
            "Na soo wac ama noo soo qor luqad kasta: waxaan isticmaalnaa turjubaanno iyo khad taleefan oo luqadeed, adiga oo aan waxba bixin.\n\n* **Xiriiriyeyaasha qoysaska** ee dugsi kasta waxay ka caawiyaan diiwaangelinta, shirarka iyo adeegyada.\n* Eeg [buugga shaqaalaha](/directory/) si aad u hesho qof ku hadla luqaddaada.\n* Codso inaad ku biirto [koox qoysas](/groups/).",
        ),
    },
}
